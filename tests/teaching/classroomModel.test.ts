import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runReplications } from '../../src/lib/engine/run';
import { seriesOf, stageSeries } from '../../src/lib/engine/output';
import { classroomScenario } from '../../src/lib/teaching/classroomScenario';
import { ClassroomModel } from '../../src/lib/teaching/classroomModel';
import { setUpClassroom } from '../../src/lib/teaching/classroomSetup';
import { EVENT_PURCHASE } from '../../src/lib/teaching/classroomRecorder';

const raw = (name: string) => JSON.parse(readFileSync(new URL(`../../scenarios/${name}.json`, import.meta.url), 'utf8'));

function scenario(name: string, agents: number, patch?: Record<string, unknown>) {
	const result = classroomScenario(raw(name), agents, patch);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.scenario;
}

describe('a classroom is the engine, a day at a time', () => {
	it('shows, every day, the per-stage counts of an ordinary run with the same seed', () => {
		const s = scenario('social-app-referral', 400);
		const [run] = runReplications(s, 1);
		const classroom = new ClassroomModel(s);
		for (let day = 0; day < s.horizonDays; day++) {
			classroom.step();
			const counts = Array.from(classroom.stageCounts);
			expect(counts, `day ${day}`).toEqual(s.stages.map((_, i) => stageSeries(run, i)[day]));
		}
		expect(classroom.finished).toBe(true);
	});

	it('counts each day’s moves so that they add up to the run’s flows', () => {
		const s = scenario('six-stage', 300);
		const [run] = runReplications(s, 1);
		const classroom = new ClassroomModel(s);
		classroom.seek(s.horizonDays);
		expect(Array.from(classroom.movesOver(s.horizonDays))).toEqual(Array.from(run.flows));
	});

	it('keeps a story per person whose orders and invitations add up to the run’s', () => {
		const s = scenario('social-app-referral', 500);
		const [run] = runReplications(s, 1);
		const classroom = new ClassroomModel(s);
		let marks = 0;
		while (classroom.step()) marks += classroom.lastEvents.filter((e) => e.kind === EVENT_PURCHASE).length;
		const stories = Array.from({ length: classroom.size }, (_, a) => classroom.story(a));
		const orders = stories.reduce((n, x) => n + x.orders.length, 0);
		expect(orders).toBe(seriesOf(run, 'purchases').reduce((a, b) => a + b, 0));
		expect(marks).toBe(orders);
		expect(stories.reduce((n, x) => n + x.invitesSent, 0)).toBe(seriesOf(run, 'invites').reduce((a, b) => a + b, 0));
		expect(stories.reduce((n, x) => n + x.friendsJoined.length, 0)).toBe(seriesOf(run, 'referredProspects').reduce((a, b) => a + b, 0));
		expect(stories.filter((x) => x.latent === 'churned').length).toBe(seriesOf(run, 'latentChurn').reduce((a, b) => a + b, 0));
		for (const story of stories) {
			expect(story.stages.at(-1)!.stage).toBe(story.stage);
			for (const friend of story.friendsJoined) expect(stories[friend].referredBy).toBe(story.agent);
		}
	});
});

describe('the classroom tells a Pareto/NBD customer’s story', () => {
	it('says such a customer left between orders, at its own time, with no chance of leaving per order', () => {
		const raw6 = raw('six-stage');
		for (const segment of raw6.segments) segment.dropout = { model: 'paretoNbd', s: 1, betaDays: 30 };
		const result = classroomScenario(raw6, 400);
		if (!result.ok) throw new Error(JSON.stringify(result.problems));
		const classroom = new ClassroomModel(result.scenario);
		classroom.seek(result.scenario.horizonDays);
		const stories = Array.from({ length: classroom.size }, (_, a) => classroom.story(a));
		const churned = stories.filter((x) => x.latent === 'churned');
		expect(churned.length).toBeGreaterThan(0);
		for (const story of churned) {
			expect(story.leavesBetweenOrders).toBe(true);
			expect(story.dropoutChance).toBeNull();
			// Death is a moment of its own: after the last order, never at it.
			expect(story.churnedAt!).toBeGreaterThan(story.orders.at(-1)!.time);
		}
	});
});

describe('side by side and going back in time', () => {
	it('starts both populations with the same people when the patch switches a policy on', () => {
		const setup = setUpClassroom(raw('fmcg-points-ladder'), 300, { policies: raw('fmcg-points-ladder').policies.map((p: { type: string }) => ({ ...p, enabled: p.type !== 'pointsProgramme' })) });
		if (!setup.ok) throw new Error('invalid');
		const [withPoints, without] = setup.models;
		expect(Array.from(withPoints.stageCounts)).toEqual(Array.from(without.stageCounts));
		const people = (m: ClassroomModel) => Array.from({ length: m.size }, (_, a) => [m.sim.population.stage[a], m.sim.population.segment[a]]);
		expect(people(withPoints)).toEqual(people(without));
		expect(withPoints.story(0).points).not.toBeNull();
		expect(without.story(0).points).toBeNull();
	});

	it('lands on the same day the same way whether it steps forward or goes back and simulates again', () => {
		const s = scenario('social-app-referral', 200);
		const forward = new ClassroomModel(s);
		forward.seek(40);
		const back = new ClassroomModel(s);
		back.seek(120);
		back.seek(40);
		expect(Array.from(back.stageCounts)).toEqual(Array.from(forward.stageCounts));
		expect(back.story(5)).toEqual(forward.story(5));
	});
});
