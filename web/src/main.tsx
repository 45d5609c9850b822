// First, before React loads: the screen's reads go out while the rest of the code evaluates.
import './startEarly';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadScreensFor } from './App';
import './styles/app.css';
import './styles/print.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

function render(): void {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

// The screen's chunk first (the page preloads it), so the first render is the screen itself and
// not a loading line; if it fails to load, the app renders anyway and shows the failure there.
preloadScreensFor(window.location.pathname).then(render, render);
