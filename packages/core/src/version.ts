/** The version of Funes that wrote a record (kept equal to package.json by a test). */
export const FUNES_VERSION = '0.1.0';
