/**
 * Acquisition channel: prospects arrive as a Poisson stream at random times of
 * the day, some lost at registration, in the channel's segment mix; spend is
 * booked per day and per arriving prospect.
 */
import { cumulative, type Model } from '../model';
import { categorical, poisson, uniform } from '../random';
import type { Channel } from '../scenario/schema';
import type { Policy, SimulationView } from './policy';

export class AcquisitionChannel implements Policy {
	readonly id: string;
	private readonly startStage: number;
	private readonly segmentCumulative: Float64Array;
	private readonly endDay: number;

	constructor(
		private readonly channel: Channel,
		private readonly index: number,
		model: Model
	) {
		this.id = channel.id;
		this.startStage = model.channelStartStage[index];
		this.endDay = channel.endDay ?? model.horizonDays;
		const mix = channel.segmentMix;
		this.segmentCumulative = mix ? cumulative(model.segmentIds.map((id) => mix[id] ?? 0)) : model.segmentShareCumulative;
	}

	beginDay(sim: SimulationView, day: number): void {
		const ch = this.channel;
		if (day < ch.startDay || day >= this.endDay) return;
		const mean = ch.prospectsPerDay * sim.shardShare;
		sim.keyArrivals(this.index, day);
		// Poisson thinning: registered and lost arrivals are independent Poisson counts.
		const registered = poisson(sim.arrivalRng, mean * (1 - ch.registrationDropOff));
		const lost = poisson(sim.arrivalRng, mean * ch.registrationDropOff);
		const spend = ch.costPerDay * sim.shardShare + ch.costPerProspect * (registered + lost);
		if (spend > 0) sim.bookAcquisition(day, spend);
		for (let i = 0; i < registered; i++) {
			const segment = categorical(sim.arrivalRng, this.segmentCumulative);
			sim.addArrival(this.startStage, segment, this.index, day + uniform(sim.arrivalRng), i);
		}
	}
}
