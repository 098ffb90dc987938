# The front door: CI runs the same targets a person does.
SHELL := /bin/bash
STAMP := node_modules/.package-lock.json
WORKSPACE_MANIFESTS := $(wildcard shared-contracts/package.json services/*/package.json)

.PHONY: install generate build run test lint typecheck fmt bench benchmarks servers clean

# npm ci only when node_modules is missing or older than the lockfile / a manifest.
$(STAMP): package.json package-lock.json $(WORKSPACE_MANIFESTS)
	npm ci --no-audit --no-fund
	@touch $(STAMP)

install: $(STAMP) generate

# Prisma clients are generated offline (the CLI cannot download its schema engine here).
generate: $(STAMP)
	@npm run --workspaces --if-present --silent prisma:generate

build: install
	npx lerna run build --loglevel warn

run: build
	node services/cli/dist/cli.js run

servers:
	@scripts/ensure-servers.sh

lint: install
	npx eslint .
	npx prettier --check .

typecheck: install
	npx tsc -p tsconfig.json

fmt: install
	npx prettier --write .
	npx eslint . --fix

# Lint and typecheck are counted as tests so the run always ends with one summary line.
test: install
	@scripts/ensure-servers.sh || true
	@scripts/ensure-tools.sh || true
	node scripts/test.mjs

bench: install
	@scripts/ensure-servers.sh || true
	npm run bench -- $(or $(BENCH),broker)

# Every benchmark with its standard arguments (long: tens of minutes), then BENCHMARKS.md.
benchmarks: install
	@scripts/ensure-servers.sh || true
	npm run benchmarks

clean:
	rm -rf node_modules */node_modules services/*/node_modules services/*/dist shared-contracts/dist
