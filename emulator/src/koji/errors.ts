/** Koji's exceptions as the hub sends them: the fault code names the koji exception class (koji.convertFault). */

/** koji's exception classes by fault code (koji/__init__.py). */
export const FAULT_TYPES: Record<number, string> = {
  1000: 'GenericError',
  1002: 'AuthError',
  1003: 'TagError',
  1004: 'ActionNotAllowed',
  1005: 'BuildError',
  1019: 'ParameterError',
  1020: 'ImportError'
}

/** A koji.GenericError subclass as a fault: code and message. */
export class KojiError extends Error {
  constructor(
    readonly faultCode: number,
    readonly kojiType: string,
    message: string
  ) {
    super(message)
  }
}

export const genericError = (message: string) => new KojiError(1000, 'GenericError', message)
export const authError = (message: string) => new KojiError(1002, 'AuthError', message)
export const actionNotAllowed = (message: string) => new KojiError(1004, 'ActionNotAllowed', message)
export const parameterError = (message: string) => new KojiError(1019, 'ParameterError', message)
