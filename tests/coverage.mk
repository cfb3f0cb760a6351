# make coverage: line coverage of src/ from the host unit tests (gcovr),
# plus which slow-path states the tests reached (function coverage of the
# state functions in src/slowpath*.c).
COV_BUILD := build/host-coverage

.PHONY: coverage
coverage:
	@rm -rf $(COV_BUILD)
	@$(MAKE) --no-print-directory BUILD=$(COV_BUILD) OPT="-O0 -g" \
		EXTRA_CFLAGS=--coverage EXTRA_LDFLAGS=--coverage test >/dev/null
	@gcovr -r . --object-directory $(COV_BUILD)/obj --filter 'src/' \
		--print-summary --txt $(COV_BUILD)/coverage.txt \
		--json $(COV_BUILD)/coverage.json | tail -3
	@cat $(COV_BUILD)/coverage.txt | grep -E '^src/|^TOTAL'
	@python3 tests/slowpath_states.py $(COV_BUILD)/coverage.json
