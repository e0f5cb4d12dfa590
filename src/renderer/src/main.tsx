import './zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiContext } from './api/api-context';
import { pickTransport } from './api/transport';
import { App } from './app/App';
import { MenuCommandsProvider } from './app/menu-commands';
import './app/theme.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ApiContext.Provider value={pickTransport()}>
      <MenuCommandsProvider>
        <App />
      </MenuCommandsProvider>
    </ApiContext.Provider>
  </StrictMode>,
);
