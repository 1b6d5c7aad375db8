import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connect, startQuery } from './api/index.js';
import { parseDeepLink } from './deeplink.js';
import { createStores } from './stores/index.js';
import './styles.css';

const stores = createStores(connect());
createRoot(document.getElementById('root')!).render(
  <App stores={stores} link={parseDeepLink(startQuery())} />,
);
