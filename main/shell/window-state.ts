/**
 * Remember the main window's size, position and maximized state between runs, in
 * <userData>/window-state.json, and restore it onto a display that is still there (a laptop
 * undocked from its second screen must not open the console off-screen).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent on first run: let the window manager place it (centred). */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WIDTH = 960;
export const MIN_HEIGHT = 600;
/** At least this much of the window must overlap a display's work area to keep its position. */
const MIN_VISIBLE = 120;

export const windowStateFile = (userDataDir: string) => join(userDataDir, 'window-state.json');

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 1_000_000;

/** Parse whatever is on disk; anything malformed gives null (then defaults apply). */
export function parseWindowState(text: string): WindowState | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (!isInt(r.width) || !isInt(r.height) || r.width <= 0 || r.height <= 0) return null;
  const state: WindowState = { width: r.width, height: r.height, maximized: r.maximized === true };
  if (isInt(r.x) && isInt(r.y)) {
    state.x = r.x;
    state.y = r.y;
  }
  return state;
}

function overlap(a: Rect, b: Rect): { w: number; h: number } {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { w: Math.max(0, w), h: Math.max(0, h) };
}

const clampNum = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/**
 * Fit a saved state to the displays that exist now (their work areas; the first is the primary).
 * Keeps the display it overlaps most, if it overlaps one by at least MIN_VISIBLE px each way;
 * otherwise centres it on the primary display. The size never exceeds the chosen work area and the
 * window lies entirely inside it.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0];
  if (!primary) return { ...state };
  let target: Rect | undefined;
  if (state.x !== undefined && state.y !== undefined) {
    const bounds = { x: state.x, y: state.y, width: state.width, height: state.height };
    let best = 0;
    for (const area of workAreas) {
      const { w, h } = overlap(bounds, area);
      if (w >= Math.min(MIN_VISIBLE, bounds.width) && h >= Math.min(MIN_VISIBLE, bounds.height) && w * h > best) {
        best = w * h;
        target = area;
      }
    }
  }
  const area = target ?? primary;
  const width = clampNum(state.width, Math.min(MIN_WIDTH, area.width), area.width);
  const height = clampNum(state.height, Math.min(MIN_HEIGHT, area.height), area.height);
  let x: number;
  let y: number;
  if (target && state.x !== undefined && state.y !== undefined) {
    x = clampNum(state.x, area.x, area.x + area.width - width);
    y = clampNum(state.y, area.y, area.y + area.height - height);
  } else {
    x = area.x + Math.round((area.width - width) / 2);
    y = area.y + Math.round((area.height - height) / 2);
  }
  return { x, y, width, height, maximized: state.maximized };
}

/** Read the saved state (defaults when missing or malformed) and fit it to the current displays. */
export function loadWindowState(file: string, workAreas: readonly Rect[], read: (f: string) => string = (f) => readFileSync(f, 'utf8')): WindowState {
  let saved: WindowState | null;
  try {
    saved = parseWindowState(read(file));
  } catch {
    saved = null; // first run: no file yet
  }
  return clampToDisplays(saved ?? DEFAULT_STATE, workAreas);
}

/** Write atomically (temp file + rename), so a crash mid-write never leaves a broken file. A few bytes, once per close. */
export function saveWindowState(file: string, state: WindowState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** The slice of BrowserWindow the tracker needs. */
export interface TrackedWindow {
  on(event: 'close', listener: () => void): unknown;
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isFullScreen(): boolean;
}

/** Save the window's normal (unmaximized) bounds and maximized flag when it closes. */
export function trackWindowState(win: TrackedWindow, file: string, save: (f: string, s: WindowState) => void = saveWindowState): void {
  win.on('close', () => {
    try {
      const b = win.getNormalBounds();
      save(file, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() || win.isFullScreen() });
    } catch {
      // Losing the window position is not worth an error dialog on quit.
    }
  });
}
