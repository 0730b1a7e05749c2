import { gatherDashboardState } from '../../src/core/progress/gather';
import { launchChromium, openDashboard, startDashboardServer } from './harness';
(async () => {
  const r = gatherDashboardState('/work/main/test/fixtures/workspace/bqmigrate.json');
  if (!r.ok) { console.log(r.problems); return; }
  console.log(JSON.stringify(r.state).slice(0, 600));
  const server = await startDashboardServer();
  const browser = await launchChromium();
  try {
    const dp = await openDashboard(browser, server, 'dark');
    await dp.waitForReady();
    await dp.send({ type: 'state', state: r.state });
    await dp.page.waitForTimeout(1500);
    console.log(await dp.page.locator('#app').innerText().then(t => t.slice(0, 400)), dp.logs, dp.pageErrors);
  } finally { await browser.close(); await server.close(); }
})();
