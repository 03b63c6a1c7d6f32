import { CalculatorOutlined } from '@ant-design/icons';
import { ConfigProvider, Layout, Menu, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { CalculatorPage } from './features/calculator/calculator-page.js';

/** The workspace shell: one layout, a menu of the screens that exist so far. */
export function App() {
  return (
    <ConfigProvider
      locale={zhCN}
      theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}
    >
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header
          style={{ display: 'flex', alignItems: 'center', gap: 24 }}
        >
          <Typography.Title
            level={4}
            style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}
          >
            LoanDesk 贷款客服工作台
          </Typography.Title>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={['calculator']}
            items={[
              {
                key: 'calculator',
                icon: <CalculatorOutlined />,
                label: '贷款计算器',
              },
            ]}
            style={{ flex: 1 }}
          />
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <CalculatorPage />
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center' }}>
          LoanDesk · 开源贷款客服平台 · 金额精确到分
        </Layout.Footer>
      </Layout>
    </ConfigProvider>
  );
}
