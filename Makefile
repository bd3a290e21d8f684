# The single entry point: `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Extra arguments for every vitest run, e.g. `make test-unit VITEST_ARGS='-t watch'`.
VITEST_ARGS ?=
# When set, each tier also writes vitest's JSON results to $(TEST_REPORT_DIR)/<tier>.json (.ci/run sets it).
TEST_REPORT_DIR ?=

# Where `make conformance` writes its vitest report and the ledger (ledger.md, ledger.html).
CONFORMANCE_DIR ?= $(or $(TEST_REPORT_DIR),.local/conformance)

# $(call vitest,<tier>): one vitest run; a tier that finds no test fails (nothing is skipped silently).
vitest = npx vitest run \
  $(if $(TEST_REPORT_DIR),--reporter=default --reporter=json --outputFile=$(TEST_REPORT_DIR)/$(1).json) \
  $(VITEST_ARGS)

.PHONY: help deps node-deps run-local test test-unit test-integration test-e2e test-conformance conformance bench typecheck verify update clean

help:
	@echo 'make run-local         etcd (3 members) + apiserver on https://127.0.0.1:6443, kubeconfig in .local/'
	@echo 'make test              unit, integration, e2e and conformance tiers (all run; fails if any failed)'
	@echo 'make test-unit | test-integration | test-e2e'
	@echo 'make conformance       the conformance tier, then the ledger (per capability: rows / written / passing)'
	@echo 'make deps              npm ci when node_modules is missing or stale; etcd from apt when missing'
	@echo 'make typecheck         tsc --noEmit'
	@echo 'make update | verify   regenerate derived files | check they are up to date'
	@echo 'make bench             hack/bench.ts'
	@echo 'make clean             remove .local/ (etcd data, certificates, kubeconfig, logs)'

deps: node-deps
	@bash hack/ensure-etcd.sh

node-deps: node_modules/.package-lock.json

# npm writes node_modules/.package-lock.json on install: older than the lock file means stale.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

run-local: deps
	node --import tsx hack/run-local.ts

# Every tier runs even when an earlier one failed, so one run shows every failure.
test: deps
	@failed=; \
	for tier in unit integration e2e conformance; do \
	  $(MAKE) --no-print-directory test-$$tier || failed="$$failed $$tier"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: failed tiers:$$failed" >&2; exit 1; fi

test-unit: deps
	$(call vitest,unit)

test-integration: deps
	$(call vitest,integration) -c vitest.integration.config.ts

test-e2e: deps
	$(call vitest,e2e) -c vitest.e2e.config.ts

# The conformance tier always writes its JSON report: the ledger is computed from it.
test-conformance: conformance
conformance: deps
	@mkdir -p $(CONFORMANCE_DIR); status=0; \
	npx vitest run -c vitest.conformance.config.ts --reporter=default --reporter=json \
	  --outputFile=$(CONFORMANCE_DIR)/conformance.json $(VITEST_ARGS) || status=1; \
	node --import tsx hack/conformance-ledger.ts $(CONFORMANCE_DIR)/conformance.json $(CONFORMANCE_DIR) || status=1; \
	exit $$status

bench: deps
	npx tsx hack/bench.ts

typecheck: node-deps
	npx tsc --noEmit -p .

# Generators; one that is not written yet is skipped with a note.
UPDATE_SCRIPTS := hack/update-openapi.ts hack/update-proto-descriptors.ts

update: node-deps
	@for script in $(UPDATE_SCRIPTS); do \
	  if [ -f "$$script" ]; then echo "npx tsx $$script"; npx tsx "$$script" || exit 1; \
	  else echo "skipped: $$script does not exist yet"; fi; \
	done

verify: node-deps
	bash hack/verify-generated.sh

clean:
	rm -rf .local
