/** Builds the policies a scenario names: its channels, then its policy list, in file order. */
import type { Model } from '../model';
import type { PolicyConfig, PolicyOf } from '../scenario/schema';
import { AcquisitionChannel } from './acquisitionChannel';
import { BirthdayBenefit } from './birthdayBenefit';
import { FestivalPromotion } from './festivalPromotion';
import { FirstOrderIncentive } from './firstOrderIncentive';
import { FixedCost } from './fixedCost';
import { FreeShipping } from './freeShipping';
import { LimitedTimeDiscount } from './limitedTimeDiscount';
import { Membership } from './membership';
import { Onboarding } from './onboarding';
import { PointsProgramme } from './pointsProgramme';
import type { Policy } from './policy';
import { ReferralProgramme } from './referralProgramme';
import { WinBack } from './winBack';

/** One factory per policy type; a new policy file adds one line here. */
const FACTORIES: { [T in PolicyConfig['type']]: (config: PolicyOf<T>, model: Model) => Policy } = {
	fixedCost: (config, model) => new FixedCost(config, model.horizonDays),
	onboarding: (config, model) => new Onboarding(config, model),
	firstOrderIncentive: (config, model) => new FirstOrderIncentive(config, model),
	winBack: (config, model) => new WinBack(config, model),
	pointsProgramme: (config, model) => new PointsProgramme(config, model),
	referralProgramme: (config, model) => new ReferralProgramme(config, model),
	freeShipping: (config, model) => new FreeShipping(config, model),
	limitedTimeDiscount: (config, model) => new LimitedTimeDiscount(config, model),
	festivalPromotion: (config, model) => new FestivalPromotion(config, model),
	birthdayBenefit: (config, model) => new BirthdayBenefit(config, model),
	membership: (config, model) => new Membership(config, model)
};

/** The scenario's policies; disabled ones are left out, so off means absent. */
export function createPolicies(model: Model): Policy[] {
	const channels = model.scenario.channels.map((ch, i) => new AcquisitionChannel(ch, i, model));
	const configured = model.scenario.policies
		.filter((config) => config.enabled)
		.map((config) => (FACTORIES[config.type] as (c: PolicyConfig, m: Model) => Policy)(config, model));
	return [...channels, ...configured];
}
