/** The scenarios shipped in scenarios/, bundled into the app at build time. */
import type { ScenarioInput } from './engine/scenario/schema';

const files = import.meta.glob<ScenarioInput>('/scenarios/*.json', { eager: true, import: 'default' });

/** Built-in scenarios in file-name order. */
export const builtInScenarios: ScenarioInput[] = Object.keys(files)
	.sort()
	.map((path) => files[path]);
