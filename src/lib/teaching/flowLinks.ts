/** The flows a classroom draws: stage-to-stage moves over a period, with the share of the source stage that moved. */

export interface FlowLink {
	from: number;
	to: number;
	moves: number;
	/** Moves as a share of the people in the source stage when the period began (0 when it was empty). */
	rate: number;
}

/** Links with at least one move, largest first; `moves` is from × stageCount + to. */
export function flowLinks(moves: ArrayLike<number>, countsBefore: ArrayLike<number>, stageCount: number): FlowLink[] {
	const links: FlowLink[] = [];
	for (let from = 0; from < stageCount; from++) {
		for (let to = 0; to < stageCount; to++) {
			const n = moves[from * stageCount + to];
			if (n > 0) links.push({ from, to, moves: n, rate: countsBefore[from] > 0 ? n / countsBefore[from] : 0 });
		}
	}
	return links.sort((a, b) => b.moves - a.moves || a.from - b.from || a.to - b.to);
}
