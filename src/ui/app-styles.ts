import { css } from 'lit';

/** The look of `<lf-app>`: the theme's colours (dark and light) and the layout of toolbar, canvas and side panel. */
export const appStyles = css`
  :host { --lf-bg: #0d1117; --lf-panel: #161b22; --lf-panel-2: #21262d; --lf-fg: #c9d1d9; --lf-muted: #8b949e; --lf-border: #30363d;
    --lf-accent: #3fb950; --lf-accent-bg: #238636; --lf-error: #f85149; --lf-canvas: #0b0f14; --lf-grid: #30363d; --lf-input-bg: #0d1117; --lf-button: #21262d; --lf-hover: #30363d;
    display: grid; grid-template-rows: 44px 1fr; height: 100vh; min-height: 0; background: var(--lf-bg); color: var(--lf-fg);
    font: 13px system-ui, sans-serif; }
  :host([theme='light']) { --lf-bg: #f6f8fa; --lf-panel: #ffffff; --lf-panel-2: #eef1f4; --lf-fg: #1f2328; --lf-muted: #525b65; --lf-border: #c4ccd5;
    --lf-accent: #116329; --lf-accent-bg: #1a7f37; --lf-error: #c9252d;
    --lf-canvas: #fdfdfd; --lf-grid: #d0d7de; --lf-input-bg: #ffffff; --lf-button: #f3f4f6; --lf-hover: #eaeef2; }
  header { display: flex; align-items: center; gap: 6px; padding: 0 10px; background: var(--lf-panel); border-bottom: 1px solid var(--lf-border); min-width: 0; }
  header h1 { font-size: 15px; margin: 0 8px 0 0; }
  header .title { color: var(--lf-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; flex: 1; min-width: 0; }
  button, select { font: inherit; padding: 4px 8px; border-radius: 4px; border: 1px solid var(--lf-border); background: var(--lf-button); color: inherit; cursor: pointer; }
  main { display: grid; grid-template-columns: 1fr 330px; min-height: 0; }
  .left { display: grid; grid-template-rows: 1fr auto; grid-template-columns: minmax(0, 1fr); min-height: 0; min-width: 0; }
  .canvas { position: relative; overflow: hidden; background: var(--lf-canvas);
    background-image: radial-gradient(var(--lf-grid) 1px, transparent 1px); background-size: 24px 24px; outline: none; }
  .canvas.drop { outline: 3px dashed var(--lf-accent); outline-offset: -6px; }
  lf-views { background: var(--lf-panel); min-height: 0; }
  aside { background: var(--lf-panel); border-left: 1px solid var(--lf-border); overflow-y: auto; min-height: 0; }
  section { padding: 8px 10px; border-bottom: 1px solid var(--lf-border); }
  section h2 { font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--lf-muted); margin: 0 0 6px; }
  button.fold { all: unset; cursor: pointer; font: inherit; color: inherit; text-transform: inherit; letter-spacing: inherit; }
  .hint code { font-family: ui-monospace, monospace; background: var(--lf-panel); padding: 0 4px; border-radius: 3px; }
  .hint { position: absolute; left: 50%; bottom: 14px; transform: translateX(-50%); background: var(--lf-panel-2); border: 1px solid var(--lf-border);
    padding: 6px 12px; border-radius: 6px; z-index: 10; max-width: 80%; box-shadow: 0 2px 8px #0006; }
  .help { position: absolute; right: 12px; top: 12px; z-index: 10; background: var(--lf-panel); border: 1px solid var(--lf-border); border-radius: 8px; padding: 10px 14px; box-shadow: 0 4px 16px #0008; }
  .help header { display: flex; justify-content: space-between; background: none; border: 0; padding: 0 0 6px; height: auto; }
  .spacer { flex: 1; }
  :host { grid-template-rows: 44px auto 1fr; }
  header { grid-row: 1; } main { grid-row: 3; }
  .banner { grid-row: 2; background: #d2992233; border-bottom: 1px solid var(--lf-border); padding: 4px 10px; }
  .banner button { padding: 0 6px; margin-left: 8px; }
  main { position: relative; }
  lf-library.drawer { position: absolute; left: 0; top: 0; bottom: 0; width: 300px; z-index: 20; background: var(--lf-panel); border-right: 1px solid var(--lf-border); box-shadow: 4px 0 16px #0006; }
  .resume-offer { margin-bottom: 6px; width: 100%; }
  .start-hint { position: absolute; left: 50%; top: 40%; transform: translate(-50%, -50%); max-width: 420px; text-align: center;
    color: var(--lf-muted); font-size: 15px; line-height: 1.5; pointer-events: none; }
  .start-hint b { color: var(--lf-fg); }
`;
