// Issue 16: pa11y (runner htmlcs, WCAG2AA) and axe-core (pa11y's axe runner: WCAG 2.0/2.1 A and
// AA plus best practices) over many pages in one Chromium, for tests/validators.py.
//
//   node tests/a11y_batch.js CONFIG.json
//
// CONFIG: {"urls": [...], "chromium": "/usr/bin/chromium", "args": [...], "timeout": ms}
// Prints one JSON object on stdout: {url: [issue, ...]}, every issue pa11y reports (errors,
// warnings and notices, each with its `runner`); the caller decides what fails.
'use strict';

const fs = require('fs');
const pa11y = require('pa11y');
const puppeteer = require('puppeteer');

async function main() {
	const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));
	const browser = await puppeteer.launch({
		executablePath: config.chromium,
		headless: true,
		args: config.args
	});
	const found = {};
	try {
		for (const url of config.urls) {
			const result = await pa11y(url, {
				browser,
				runners: ['htmlcs', 'axe'],
				standard: 'WCAG2AA',
				includeWarnings: true,
				includeNotices: true,
				timeout: config.timeout || 60000,
				log: {debug() {}, info() {}, error: message => process.stderr.write(`${message}\n`)}
			});
			found[url] = result.issues.map(issue => ({
				runner: issue.runner,
				code: issue.code,
				type: issue.type,
				message: issue.message,
				selector: issue.selector,
				context: issue.context,
				needsFurtherReview: Boolean(issue.runnerExtras && issue.runnerExtras.needsFurtherReview),
				impact: issue.runnerExtras ? issue.runnerExtras.impact : undefined
			}));
		}
	} finally {
		await browser.close();
	}
	process.stdout.write(JSON.stringify(found));
}

main().catch(error => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exit(1);
});
