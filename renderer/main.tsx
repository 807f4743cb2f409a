import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { createQueryClient } from './api/hooks.ts';
import { getTransport } from './api/transport.ts';
import { initI18n } from './i18n/index.ts';
import { App } from './app/App.tsx';
import './styles/app.css';

// Take the token out of the URL before anything else runs.
getTransport();
const i18n = initI18n();
const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);
