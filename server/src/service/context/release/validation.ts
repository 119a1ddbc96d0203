// The schema layer's hooks for one release: its schema, what to say about a
// key another release accepts, and PyYAML's handling of a repeated key.
import type { ValidationHooks } from '../../schema/validate';
import type { ConfigKind } from '../../types';
import { releaseHint } from './key-history';
import { schemaOf } from './release-schema';
import type { ResolvedRelease } from './resolve';
import { pyyamlDuplicate } from './yaml-loader';

export function validationHooks(release: ResolvedRelease, kind: ConfigKind): ValidationHooks {
  return {
    schema: schemaOf(release, kind),
    explainUnknown: (key) => releaseHint(key, release),
    duplicate: (entry, firstLine) => pyyamlDuplicate(entry, firstLine, release),
  };
}
