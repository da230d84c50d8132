/**
 * The evidence report as a person sees it, in Debian's headless Chromium (never a downloaded browser):
 * index.html of the prod plan loads with the network off and nothing requested beyond file://, the
 * scope, verdict and safeguard table, the architecture picture and every safeguard page are visible,
 * nothing overflows the page, on a 390 px phone neither (no sideways scroll, the contents in one
 * column without overlapping boxes), the console stays clean, and `--pdf` (the real CLI path, sharing
 * this test's one browser launch) prints the prod report in at most 40 A4 pages (issue 20; it was 287, then 57
 * when the auditor's report and the per-component figures were merged), every safeguard kept whole on one page. Skipped when there is no Chromium at CHROMIUM_PATH or /usr/bin/chromium.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Browser, Page } from "playwright-core";
import { DEFAULT_CHROMIUM, launchChromium, main as evidence } from "../../tools/evidence/cli";
import { anchorOf } from "../../tools/evidence/html";
import type { Evidence } from "../../tools/evidence/model";
import { planFile, planSpec } from "../support/plans";

const ROOT = path.resolve(__dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const TITLE = "evidence report in headless Chromium";

(HAVE_CHROMIUM ? describe : describe.skip)(
  HAVE_CHROMIUM ? TITLE : `${TITLE} (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium or set CHROMIUM_PATH)`,
  function () {
    this.timeout(180_000);
    let tmp: string;
    let out: string;
    let browser: Browser;
    let page: Page;
    let ev: Evidence;
    const requests: string[] = [];
    const consoleErrors: string[] = [];

    before(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hcp-evidence-browser-"));
      const plan = path.join(tmp, "plan-prod.json");
      fs.copyFileSync(await planFile(planSpec("prod")), plan);
      browser = await launchChromium(CHROMIUM);
      out = path.join(tmp, "report");
      const err: string[] = [];
      const code = await evidence(
        [plan, "--policy-config", path.join(ROOT, "policy-pack/config/prod.json"), "--out", out, "--pdf"],
        { stdout: () => undefined, stderr: (t) => void err.push(t) },
        process.env,
        browser,
      );
      assert.strictEqual(code, 0, err.join(""));
      ev = JSON.parse(fs.readFileSync(path.join(out, "evidence.json"), "utf8")) as Evidence;

      const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      page.on("request", (req) => void requests.push(req.url()));
      page.on("console", (m) => void (m.type() === "error" && consoleErrors.push(m.text())));
      page.on("pageerror", (e) => void consoleErrors.push(e.message));
      await page.goto(`file://${path.join(out, "index.html")}`, { waitUntil: "load" });
    });

    after(async () => {
      await browser?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("loads offline: every request stays on file://, and the console has no errors", () => {
      assert.ok(requests.length > 0, "the page itself is a request");
      assert.deepStrictEqual(
        requests.filter((u) => !u.startsWith("file://")),
        [],
        "requests beyond file://",
      );
      assert.deepStrictEqual(consoleErrors, []);
    });

    it("shows the scope, the verdict with the plan's totals and a row per safeguard", async () => {
      await page.locator("#summary").waitFor({ state: "visible" });
      assert.match(await page.locator("#scope").innerText(), /Deployment SHA-256\s+[0-9a-f]{64}/);
      const verdict = await page.locator("#verdict").innerText();
      assert.match(verdict, new RegExp(`\\b${ev.summary.result}\\b`));
      assert.match(verdict, new RegExp(`\\b${ev.safeguards.length} safeguards evidenced`));
      assert.strictEqual(await page.locator("table.safeguards tbody tr").count(), ev.safeguards.length);
    });

    it("shows the overview figure (the network map of ePHI) fitted to the page, with its trust boundaries and caption, and no content wider than the page", async () => {
      await page.locator("#architecture").waitFor({ state: "visible" });
      const svg = page.locator("#figure-overview > svg");
      assert.ok(await svg.isVisible(), "the overview is visible");
      const box = (await svg.boundingBox())!;
      assert.ok(box.width > 600 && box.height > 200, `overview drawn at ${box.width}x${box.height}`);
      assert.ok(box.x >= 0 && box.x + box.width <= 1280, "the overview fits the viewport width");
      assert.ok(await svg.getByText("VPC isolated subnets", { exact: false }).first().isVisible());
      assert.match(await page.locator("#figure-overview + .caption").innerText(), /^Figure 1\. .*network map of ePHI flows/);
      const details = page.locator("figure.arch-figure > svg");
      assert.ok((await details.count()) >= 8, "the detailed figures");
      for (const b of await details.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right))) {
        assert.ok(b <= 1280, `a detailed figure runs off the page at ${b}`);
      }
      const [scroll, client] = await page.evaluate<number[]>(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]",
      );
      assert.ok(scroll <= client, `the page scrolls sideways: ${scroll} > ${client}`);
    });

    it("shows every safeguard section, with its policies", async () => {
      const sections = page.locator("section.safeguard");
      assert.strictEqual(await sections.count(), ev.safeguards.length);
      for (const s of ev.safeguards) {
        const section = page.locator(`section#${anchorOf(s.citation)}`);
        assert.ok(await section.isVisible(), `${s.citation} is not visible`);
        assert.ok((await section.locator("h3").innerText()).includes(s.citation), s.citation);
        assert.strictEqual(await section.locator("ul.policies li").count(), s.policies.length, s.citation);
      }
    });

    it("reads on a 390 px phone: no sideways scroll, the contents in one column without overlapping boxes", async () => {
      const phone = await browser.newContext({ offline: true, viewport: { width: 390, height: 844 }, isMobile: true });
      try {
        const p = await phone.newPage();
        await p.goto(`file://${path.join(out, "index.html")}`, { waitUntil: "load" });
        const [scroll, client] = await p.evaluate<number[]>(
          "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]",
        );
        assert.ok(scroll <= client, `the page scrolls sideways on a phone: ${scroll} > ${client}`);
        const boxes = await p.locator("#contents li").evaluateAll((els) =>
          els.map((e) => {
            const r = e.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          }),
        );
        assert.ok(boxes.length >= ev.safeguards.length + 2, `${boxes.length} contents entries`);
        const lefts = new Set(boxes.map((b) => Math.round(b.left)));
        assert.strictEqual(lefts.size, 1, `the contents in one column, found columns at ${[...lefts].join(", ")}`);
        for (let i = 1; i < boxes.length; i++) {
          assert.ok(boxes[i].top >= boxes[i - 1].bottom - 0.5, `contents entries ${i} and ${i + 1} overlap`);
          assert.ok(boxes[i].right <= client, `contents entry ${i + 1} runs off the screen`);
        }
      } finally {
        await phone.close();
      }
    });

    it("--pdf prints the prod report in at most 40 A4 pages", () => {
      const pdf = fs.readFileSync(path.join(out, "report.pdf"));
      assert.strictEqual(pdf.subarray(0, 4).toString("latin1"), "%PDF");
      const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
      // scope and safeguard table, the figures, the safeguards (short ones sharing a page), coverage, findings, policies, appendix
      assert.ok(pages > ev.safeguards.length / 2 && pages <= 40, `${pages} page(s)`);
    });

    it("printed, each safeguard's section fits one A4 landscape page and is kept whole, and each figure page holds its figures", async () => {
      const print = await browser.newContext({ offline: true, viewport: { width: 1032, height: 703 } });
      try {
        const p = await print.newPage();
        await p.goto(`file://${path.join(out, "index.html")}`, { waitUntil: "load" });
        await p.emulateMedia({ media: "print" });
        // A4 landscape less the 12 mm margins: 273 x 186 mm = 1,032 x 703 CSS px
        const sections = await p.locator("section.safeguard").evaluateAll((els) =>
          els.map((e) => ({
            id: e.id,
            height: e.getBoundingClientRect().height,
            avoid: (globalThis as unknown as { getComputedStyle(e: unknown): { breakInside: string } }).getComputedStyle(e).breakInside,
          })),
        );
        assert.strictEqual(sections.length, ev.safeguards.length);
        for (const s of sections) {
          assert.ok(s.height <= 703, `${s.id} is ${s.height} px tall, more than a page`);
          assert.strictEqual(s.avoid, "avoid", `${s.id} may split across pages`);
        }
        // a figure page: A4 (portrait or landscape) less 6 mm margins; its figures and captions stacked must fit
        const figurePages = await p
          .locator(".fig-page")
          .evaluateAll((els) => els.map((e) => ({ cls: e.className, height: e.getBoundingClientRect().height })));
        assert.ok(figurePages.length >= 2);
        // the printed size of each figure's smallest text: its font-size (viewBox units) x the rendered px per unit x 0.75 pt/px
        const printed = await p.locator(".fig-page svg").evaluateAll((els) =>
          els.map((e) => {
            const fonts = [...e.querySelectorAll("text")].map((t) => Number(t.getAttribute("font-size")));
            const [, , w] = (e.getAttribute("viewBox") ?? "").split(" ").map(Number);
            return { id: e.parentElement?.id ?? "", pt: (Math.min(...fonts) * e.getBoundingClientRect().width * 0.75) / w };
          }),
        );
        assert.strictEqual(printed.length, (await p.locator("figure.arch-figure").count()) + 1, "the overview and every detailed figure");
        const overview = printed.find((f) => f.id === "figure-overview");
        assert.ok(overview && overview.pt >= 9, `the overview's smallest text prints at ${overview?.pt.toFixed(2)} pt`);
        for (const f of printed) assert.ok(f.pt >= 6.9, `${f.id}: its smallest text prints at ${f.pt.toFixed(2)} pt`);
        for (const f of figurePages) {
          const limit = f.cls.includes("portrait") ? ((297 - 12) / 25.4) * 96 : ((210 - 12) / 25.4) * 96;
          assert.ok(f.height <= limit, `${f.cls}: ${f.height} px > ${limit.toFixed(0)} px`);
        }
      } finally {
        await print.close();
      }
    });
  },
);
