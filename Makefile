# Developer shortcuts; CI runs .ci/run.
.PHONY: build test lint bench fuzz snapshot demo

build:
	go build -o rolesw .

test:
	go test ./...

lint:
	gofmt -l $$(git ls-files '*.go')
	go vet ./...
	GOOS=windows go vet ./...
	GOOS=darwin go vet ./...

bench:
	go test -run '^$$' -bench . -benchmem ./...

fuzz:
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s ./config/
	go test -run '^$$' -fuzz '^FuzzParseDuration$$' -fuzztime 30s ./roles/

snapshot:
	bash .ci/release.sh

demo: build
	./rolesw demo
