/** What the run found out that the report shows: the built image's ImageStream as written and imported. */
export interface ImportedTag {
  tag: string
  /** The image (digest) the stream's tag points to after the import. */
  image?: string
  /** Why OpenShift did not import it. */
  error?: string
}

export interface ImageStreamUpdate {
  name: string
  repository: string
  created: boolean
  tags: ImportedTag[]
  /** Set when the stream was not written or not imported in time (reported as a warning already). */
  problem?: string
}
