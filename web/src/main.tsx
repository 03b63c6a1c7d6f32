import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';

// Two entry points in one build: the borrower chat at /chat (embeddable in
// an iframe by /widget.js) and the agent workspace everywhere else. Each is
// loaded on demand so neither pays for the other.

const ChatApp = lazy(() =>
  import('./features/chat/chat-app.js').then((m) => ({ default: m.ChatApp })),
);
const WorkspaceApp = lazy(() =>
  import('./app.js').then((m) => ({ default: m.App })),
);

const root = document.getElementById('root');
if (root === null) throw new Error('missing #root');
const isChat =
  window.location.pathname === '/chat' ||
  window.location.pathname.startsWith('/chat/');
createRoot(root).render(
  <StrictMode>
    <Suspense fallback={null}>
      {isChat ? <ChatApp /> : <WorkspaceApp />}
    </Suspense>
  </StrictMode>,
);
