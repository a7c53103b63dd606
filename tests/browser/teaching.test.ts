import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { classroomScenario } from '../../src/lib/teaching/classroomScenario';
import { ClassroomModel } from '../../src/lib/teaching/classroomModel';
import { setUpClassroom } from '../../src/lib/teaching/classroomSetup';
import type { Scenario } from '../../src/lib/engine/scenario/schema';
import { sim } from '../helpers/cli';
import { englishWords, describeInBrowser, OPEN_TIMEOUT_MS, openWorkbench, type Workbench } from './harness';


const root = new URL('../../', import.meta.url).pathname;
const shots = `${root}.svelte-kit/screenshots/`;
const AGENTS = 300;

function classroomOf(name: string): Scenario {
	const result = classroomScenario(JSON.parse(readFileSync(`${root}scenarios/${name}.json`, 'utf8')), AGENTS);
	if (!result.ok) throw new Error(JSON.stringify(result.problems));
	return result.scenario;
}

/** The CLI's daily per-stage counts for a scenario file: one row per day, stage id → people. */
async function cliStages(scenario: Scenario): Promise<Record<string, number>[]> {
	const file = join(mkdtempSync(join(tmpdir(), 'lifecycle-teach-')), 'classroom.json');
	writeFileSync(file, JSON.stringify(scenario));
	const { code, stdout, stderr } = await sim('run', file, '--replications', '1', '--seed', String(scenario.seed), '--population', String(AGENTS), '--format', 'csv', '--workers', '1');
	if (code !== 0) throw new Error(stderr);
	const [header, ...rows] = stdout.trim().split('\n').map((line) => line.split(','));
	return rows.map((row) => Object.fromEntries(header.flatMap((name, i) => (name.startsWith('stage_') ? [[name.slice(6), Number(row[i])]] : []))));
}

describeInBrowser('the classroom in a real browser', () => {
	let bench: Workbench;
	const scenario = classroomOf('social-app-referral');
	let cli: Record<string, number>[];
	beforeAll(async () => {
		mkdirSync(shots, { recursive: true });
		[bench, cli] = await Promise.all([openWorkbench(4181), cliStages(scenario)]);
	}, OPEN_TIMEOUT_MS);
	afterAll(async () => bench?.close());

	type Tracked = Page & { errors: string[] };

	async function teach(language = 'en-US'): Promise<Tracked> {
		const context = await bench.browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: language });
		const page = (await context.newPage()) as Tracked;
		page.errors = [];
		page.on('pageerror', (e) => page.errors.push(e.message));
		await page.goto(`${bench.url}teach`);
		await page.locator('main[data-ready]').waitFor();
		await page.locator('section.settings select').first().selectOption('social-app-referral');
		return page;
	}

	/** The per-stage counts the first (or given) population shows. */
	async function shownCounts(page: Page, pane = 0): Promise<Record<string, number>> {
		const cells = page.locator('section.pane').nth(pane).locator('[data-stage]');
		const entries = await cells.evaluateAll((els) => els.map((el) => [el.getAttribute('data-stage')!, Number(el.textContent)]));
		return Object.fromEntries(entries);
	}

	const dayShown = (page: Page) => page.getByTestId('day').getAttribute('data-day');

	it('shows, after 10 days stepped one at a time and then a week, the per-stage counts of the CLI for the same scenario and seed', async () => {
		const page = await teach();
		const step = page.getByRole('button', { name: 'Step one day' });
		for (let d = 1; d <= 10; d++) {
			await step.click();
			await expect.poll(() => dayShown(page)).toBe(String(d));
		}
		expect(await shownCounts(page)).toEqual(cli[9]);
		await page.getByRole('button', { name: 'Step one week' }).click();
		await expect.poll(() => dayShown(page)).toBe('17');
		expect(await shownCounts(page)).toEqual(cli[16]);
		// Back in time: the scrubber simulates again from day 0 and lands on the same counts.
		await page.getByRole('slider', { name: 'Day' }).fill('10');
		await expect.poll(() => dayShown(page)).toBe('10');
		expect(await shownCounts(page)).toEqual(cli[9]);
		await page.getByRole('button', { name: 'Reset (same seed)' }).click();
		await expect.poll(() => dayShown(page)).toBe('0');
		await page.getByRole('button', { name: 'Play' }).click();
		await expect.poll(async () => Number(await dayShown(page)), { timeout: 10_000 }).toBeGreaterThanOrEqual(25);
		await page.getByRole('button', { name: 'Pause' }).click();
		const day = Number(await dayShown(page));
		expect(await shownCounts(page)).toEqual(cli[day - 1]);
		await page.screenshot({ path: `${shots}classroom-en.png`, fullPage: true });
		expect(page.errors).toEqual([]);
	});

	it('follows a clicked customer and tells the story the engine knows', async () => {
		const page = await teach();
		// On day 0 the first slot of the first column is taken: most people start aware.
		await page.locator('section.pane canvas').first().click({ position: { x: 9, y: 9 } });
		const title = await page.getByRole('complementary').getByRole('heading', { level: 3 }).textContent();
		const agent = Number(title!.match(/#(\d+)/)![1]);
		await page.getByRole('button', { name: 'Step one week' }).click();
		await page.getByRole('button', { name: 'Step one week' }).click();
		await expect.poll(() => dayShown(page)).toBe('14');

		const model = new ClassroomModel(scenario);
		model.seek(14);
		const story = model.story(agent);
		const panel = page.getByTestId('story');
		await expect.poll(() => panel.getByTestId('story-stage').textContent()).toBe(scenario.stages[story.stage].labels.en);
		expect(await panel.getByTestId('story-orders').getAttribute('data-count')).toBe(String(story.orders.length));
		expect(await panel.getByTestId('story-latent').getAttribute('data-latent')).toBe(story.latent);
		expect(await panel.locator('.history li').count()).toBe(story.stages.length);

		// A customer who has bought: typed in, as a keyboard user would.
		const buyer = Array.from({ length: model.size }, (_, a) => model.story(a)).find((s) => s.orders.length > 0)!;
		await page.getByLabel('Follow customer number').fill(String(buyer.agent));
		await page.getByLabel('Follow customer number').press('Enter');
		await expect.poll(() => panel.getByTestId('story-orders').getAttribute('data-count')).toBe(String(buyer.orders.length));
		await page.screenshot({ path: `${shots}classroom-follow-en.png`, fullPage: true });
		expect(page.errors).toEqual([]);
	});

	it('side by side in Chinese: the same people start identical, and no English is left in the classroom', async () => {
		const page = await teach('zh-CN');
		await page.locator('section.settings select').nth(1).selectOption({ index: 1 });
		await expect.poll(() => page.locator('section.pane').count()).toBe(2);
		expect(await shownCounts(page, 0)).toEqual(await shownCounts(page, 1));
		for (let w = 0; w < 6; w++) await page.getByRole('button', { name: '前进一周' }).click();
		await expect.poll(() => dayShown(page)).toBe('42');
		await page.getByLabel('跟踪用户编号').fill('3');
		await page.getByLabel('跟踪用户编号').press('Enter');
		await expect.poll(() => page.getByTestId('story').count()).toBe(2);
		await page.locator('details').evaluateAll((els) => els.forEach((el) => ((el as HTMLDetailsElement).open = true)));
		await page.screenshot({ path: `${shots}classroom-zh.png`, fullPage: true });
		expect(await englishWords(page)).toEqual([]);
		expect(page.errors).toEqual([]);
	});

	/** A customer worth following in a lesson's classroom on `day`: one who has churned, holds points or brought friends, else any buyer. */
	function showcaseCustomer(lessonId: string, day: number): number {
		const file = readdirSync(`${root}scenarios/notebooks`).find((f) => JSON.parse(readFileSync(`${root}scenarios/notebooks/${f}`, 'utf8')).id === lessonId)!;
		const cells = JSON.parse(readFileSync(`${root}scenarios/notebooks/${file}`, 'utf8')).cells;
		const room = cells.find((c: { kind: string }) => c.kind === 'classroom');
		const setup = setUpClassroom(cells.find((c: { id: string }) => c.id === room.scenarioCell).scenario, room.agents, room.compare);
		if (!setup.ok) throw new Error(lessonId);
		const model = setup.models.at(-1)!;
		model.seek(day);
		const stories = Array.from({ length: model.size }, (_, a) => model.story(a));
		const interesting = (s: (typeof stories)[number]) => s.latent === 'churned' || (s.points?.tier ?? 0) > 0 || s.friendsJoined.length > 0;
		return (stories.find((s) => interesting(s) && s.orders.length > 1) ?? stories.find((s) => s.orders.length > 0)!).agent;
	}

	/** Each lesson's classroom after some days, a customer followed: the view a trainer shows. */
	const lessons = readdirSync(`${root}scenarios/notebooks`).filter((f) => f.startsWith('lesson-')).sort();
	const LESSON_DAY: Record<string, number> = { '1': 30, '2': 250, '3': 120, '4': 120, '5': 250, '6': 60 };
	it('opens every lesson and shows its classroom', async () => {
		for (const language of ['en', 'zh-CN']) {
			const context = await bench.browser.newContext({ viewport: { width: 1300, height: 1000 }, locale: language });
			const page = (await context.newPage()) as Tracked;
			page.errors = [];
			page.on('pageerror', (e) => page.errors.push(e.message));
			for (const file of lessons.filter((f) => f.endsWith(`.${language}.json`))) {
				const id = JSON.parse(readFileSync(`${root}scenarios/notebooks/${file}`, 'utf8')).id as string;
				// The first lesson as a trainer finds it, from the home page; the others by their address, as a shared link opens them.
				if (file === lessons.find((f) => f.endsWith(`.${language}.json`))) {
					await page.goto(bench.url);
					await page.locator('main[data-ready]').waitFor();
					await page.locator(`a[href$="example=${id}"]`).click();
				} else await page.goto(`${bench.url}notebook?example=${id}`);
				const cell = page.locator('section.cell.classroom').first();
				await cell.locator('canvas').first().waitFor();
				const n = id.split('-')[1];
				await cell.getByRole('slider').fill(String(LESSON_DAY[n]));
				await expect.poll(() => cell.getByTestId('day').getAttribute('data-day')).toBe(String(LESSON_DAY[n]));
				// The view a trainer shows, a customer followed, pictured in English; the Chinese lessons run the same classroom.
				if (language !== 'en') continue;
				const follow = cell.locator('.follow input');
				await follow.fill(String(showcaseCustomer(id, LESSON_DAY[n])));
				await follow.press('Enter');
				await cell.getByTestId('story').first().waitFor();
				await page.waitForTimeout(500); // let the dots settle
				await cell.screenshot({ path: `${shots}lesson-${n}-${language}.png` });
			}
			expect(page.errors).toEqual([]);
			await context.close();
		}
	}, 120_000);
});
