// First, before the UI runtime loads: the screen's reads go out while the rest evaluates.
import './startEarly';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient, prepareFirstScreen, seedFromPage } from './App';
import { readPageBootstrap } from './session/bootstrap';
import './styles/app.css';
import './styles/print.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const bootstrap = readPageBootstrap();
const queryClient = seedFromPage(createQueryClient(), bootstrap);

function render(): void {
  if (!root) return;
  createRoot(root).render(
    <StrictMode>
      <App queryClient={queryClient} />
    </StrictMode>,
  );
}

// The screen's chunk and data first (the reads went out early), so the first render is the screen
// itself and not a loading line. The data is usually there within a tenth of a second of the
// chunks; past `FIRST_RENDER_DATA_WAIT_MS` (a slow server) the page is not left blank: the app
// renders, and the screen shows its reads loading. A chunk that fails to load renders at once too.
const FIRST_RENDER_DATA_WAIT_MS = 1_000;
void prepareFirstScreen(window.location, queryClient, bootstrap.session, FIRST_RENDER_DATA_WAIT_MS)
  .catch(() => undefined)
  .then(render);
