import {
  AlertOutlined,
  CalculatorOutlined,
  CommentOutlined,
  DashboardOutlined,
  FileProtectOutlined,
  ReadOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { MessageKey } from '../../shared/i18n.js';
import type { Role } from '../../shared/session.js';

// Every workspace screen, who may open it, and its code-split module: each
// screen is its own chunk (React.lazy), so the first load carries the shell
// only. Roles mirror the server's permissions (least privilege); the server
// still checks every request.

export type Screen = {
  readonly key: string;
  readonly path: string;
  readonly labelKey: MessageKey;
  readonly icon: ComponentType;
  readonly roles: readonly Role[];
  readonly component: LazyExoticComponent<ComponentType>;
};

export const SCREENS: readonly Screen[] = [
  {
    key: 'dashboard',
    path: '/dashboard',
    labelKey: 'menu.dashboard',
    icon: DashboardOutlined,
    roles: ['supervisor', 'admin'],
    component: lazy(() =>
      import('../dashboard/dashboard-page.js').then((m) => ({
        default: m.DashboardPage,
      })),
    ),
  },
  {
    key: 'inbox',
    path: '/inbox',
    labelKey: 'menu.inbox',
    icon: CommentOutlined,
    roles: ['agent', 'supervisor'],
    component: lazy(() =>
      import('../inbox/inbox-page.js').then((m) => ({
        default: m.InboxPage,
      })),
    ),
  },
  {
    key: 'collections',
    path: '/collections',
    labelKey: 'menu.collections',
    icon: TeamOutlined,
    roles: ['collector', 'negotiator', 'supervisor'],
    component: lazy(() =>
      import('../collections/collections-page.js').then((m) => ({
        default: m.CollectionsPage,
      })),
    ),
  },
  {
    key: 'negotiation',
    path: '/negotiation',
    labelKey: 'menu.negotiation',
    icon: FileProtectOutlined,
    roles: ['negotiator', 'supervisor'],
    component: lazy(() =>
      import('../negotiation/negotiation-page.js').then((m) => ({
        default: m.NegotiationPage,
      })),
    ),
  },
  {
    key: 'complaints',
    path: '/complaints',
    labelKey: 'menu.complaints',
    icon: AlertOutlined,
    roles: ['agent', 'supervisor'],
    component: lazy(() =>
      import('../complaints/complaints-page.js').then((m) => ({
        default: m.ComplaintsPage,
      })),
    ),
  },
  {
    key: 'qa',
    path: '/qa',
    labelKey: 'menu.qa',
    icon: SafetyCertificateOutlined,
    roles: ['supervisor', 'admin'],
    component: lazy(() =>
      import('../qa/qa-page.js').then((m) => ({
        default: m.QaPage,
      })),
    ),
  },
  {
    key: 'training',
    path: '/training',
    labelKey: 'menu.training',
    icon: ReadOutlined,
    roles: ['agent', 'collector', 'negotiator', 'supervisor', 'admin'],
    component: lazy(() =>
      import('../training/training-page.js').then((m) => ({
        default: m.TrainingPage,
      })),
    ),
  },
  {
    key: 'calculator',
    path: '/calculator',
    labelKey: 'menu.calculator',
    icon: CalculatorOutlined,
    roles: ['agent', 'collector', 'negotiator', 'supervisor', 'admin'],
    component: lazy(() =>
      import('../calculator/calculator-page.js').then((m) => ({
        default: m.CalculatorPage,
      })),
    ),
  },
];

export function screensFor(roles: readonly Role[]): Screen[] {
  return SCREENS.filter((screen) =>
    screen.roles.some((role) => roles.includes(role)),
  );
}

/** The screen a path belongs to (`/inbox/conv_1` → inbox). */
export function screenOf(
  screens: readonly Screen[],
  path: string,
): Screen | undefined {
  return screens.find(
    (screen) => path === screen.path || path.startsWith(`${screen.path}/`),
  );
}
