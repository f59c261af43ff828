// Fill patterns and line styles that tell series apart without colour: a reader who cannot tell
// two hues apart, a grey-scale print, or a high-contrast theme with few hues still can.
import type { CauseKey } from './format';

export const PATTERN_NAMES = ['solid', 'diagonal', 'dots', 'cross', 'horizontal', 'back-diagonal', 'vertical', 'grid'] as const;
export type PatternName = (typeof PATTERN_NAMES)[number];

/** One pattern per cause; "wire" (the part no fix removes) is the plain one. */
export const CAUSE_PATTERNS: Record<CauseKey, PatternName> = {
  wire: 'solid',
  delayedAck: 'diagonal',
  nagle: 'dots',
  sendBuffer: 'cross',
  window: 'horizontal',
  congestion: 'back-diagonal',
  loss: 'vertical',
  receiver: 'grid',
};

/** The two runs: a solid line with round markers and solid bars; a dashed line with triangles and striped bars. */
export const RUN_STYLES = [
  { dash: [] as number[], point: 'circle' as const, pattern: 'solid' as PatternName, name: 'solid line, round markers' },
  { dash: [7, 4], point: 'triangle' as const, pattern: 'diagonal' as PatternName, name: 'dashed line, triangle markers' },
] as const;

const TILE = 10;

/**
 * A canvas fill: the series colour with the pattern's marks drawn in `marks` (the page background,
 * so they show on any theme). 'solid' is the colour itself.
 */
export function fillFor(name: PatternName, colour: string, marks: string): string | CanvasPattern {
  if (name === 'solid' || typeof document === 'undefined') return colour;
  const tile = document.createElement('canvas');
  tile.width = TILE;
  tile.height = TILE;
  const g = tile.getContext('2d');
  if (!g) return colour;
  g.fillStyle = colour;
  g.fillRect(0, 0, TILE, TILE);
  g.strokeStyle = marks;
  g.fillStyle = marks;
  g.lineWidth = 2;
  const line = (x1: number, y1: number, x2: number, y2: number) => {
    g.beginPath();
    g.moveTo(x1, y1);
    g.lineTo(x2, y2);
    g.stroke();
  };
  switch (name) {
    case 'diagonal':
      line(-1, TILE + 1, TILE + 1, -1);
      line(-1, 1, 1, -1);
      line(TILE - 1, TILE + 1, TILE + 1, TILE - 1);
      break;
    case 'back-diagonal':
      line(-1, -1, TILE + 1, TILE + 1);
      line(TILE - 1, -1, TILE + 1, 1);
      line(-1, TILE - 1, 1, TILE + 1);
      break;
    case 'dots':
      g.beginPath();
      g.arc(TILE / 2, TILE / 2, 1.8, 0, Math.PI * 2);
      g.fill();
      break;
    case 'cross':
      line(-1, TILE + 1, TILE + 1, -1);
      line(-1, -1, TILE + 1, TILE + 1);
      break;
    case 'horizontal':
      line(0, TILE / 2, TILE, TILE / 2);
      break;
    case 'vertical':
      line(TILE / 2, 0, TILE / 2, TILE);
      break;
    case 'grid':
      g.lineWidth = 1.5;
      line(0, TILE / 2, TILE, TILE / 2);
      line(TILE / 2, 0, TILE / 2, TILE);
      break;
  }
  return g.createPattern(tile, 'repeat') ?? colour;
}
