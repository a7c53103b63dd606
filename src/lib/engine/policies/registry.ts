/** Builds the policies a scenario names: its channels, then its policy list, in file order. */
import type { Model } from '../model';
import type { PolicyConfig } from '../scenario/schema';
import { AcquisitionChannel } from './acquisitionChannel';
import { FixedCost } from './fixedCost';
import type { Policy } from './policy';

/** One factory per policy type; a new policy file adds one line here. */
const FACTORIES: { [T in PolicyConfig['type']]: (config: Extract<PolicyConfig, { type: T }>, model: Model) => Policy } = {
	fixedCost: (config, model) => new FixedCost(config, model.horizonDays)
};

/** The scenario's policies; disabled ones are left out, so off means absent. */
export function createPolicies(model: Model): Policy[] {
	const channels = model.scenario.channels.map((ch, i) => new AcquisitionChannel(ch, i, model));
	const configured = model.scenario.policies
		.filter((config) => config.enabled)
		.map((config) => (FACTORIES[config.type] as (c: PolicyConfig, m: Model) => Policy)(config, model));
	return [...channels, ...configured];
}
