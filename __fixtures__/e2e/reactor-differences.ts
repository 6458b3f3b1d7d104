/**
 * The differences between the real atomic-reactor 1.6.26.3 and the local OpenShift's in-process imitation that the
 * reactor conformance suite (__tests__/e2e-reactor-conformance.test.ts) accepts, each with its reason. Any other
 * difference fails the suite: it is a defect of the imitation, to be fixed there.
 */
import type { ExplainedDifference } from './conformance.js'

export const EXPLAINED: ExplainedDifference[] = []
