// The yaml package, loaded only when a YAML file is read or written. It is CommonJS: both Node's import and the
// bundle hand its exports over as the default export, which is where they are taken from.
import type * as Yaml from 'yaml';

export async function loadYaml(): Promise<typeof Yaml> {
  const mod = (await import('yaml')) as unknown as { default?: typeof Yaml };
  return mod.default ?? (mod as unknown as typeof Yaml);
}
