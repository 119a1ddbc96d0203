// The package version, read once from the manifest (bundled in by esbuild).
import manifest from '../../package.json';

export const version: string = manifest.version;
