import { Empty } from 'antd';

export function ChatApp() {
  return <Empty />;
}
