package onair

// The API clients are generated from specs/: oapi-codegen writes each
// provider's models into its package (and, for the sandboxes, the strict
// server interfaces in <provider>/internal/server), genqlient writes
// DLive's typed GraphQL operations (specs/dlive.graphql and
// specs/dlive/*.graphql), then internal/gen reads the specs named on its
// line, whose x-onair-provider says what to make of each (see
// specs/CONVENTIONS.md), and writes package scopes' union of the scope
// types, the scope constants, operation tables, params structs,
// Livestorm's flat JSON:API types and the services, whose every request
// internal/apiclient builds from the spec's path template. Then
// internal/fidelity/report writes specs/FIDELITY.md from the specs and the
// cassettes under cassettes/. Last, internal/apilist lists the public API
// in api/onair.txt.
// Run `go generate ./...` after changing a spec or the generator.

//go:generate go tool oapi-codegen -config specs/oapi/livepush.yaml specs/livepush.yaml
//go:generate go tool oapi-codegen -config specs/oapi/livestorm.yaml specs/livestorm.yaml
//go:generate go tool oapi-codegen -config specs/oapi/streamdiver.yaml specs/streamdiver.yaml
//go:generate go tool oapi-codegen -config specs/oapi/dlive.yaml specs/dlive.yaml
//go:generate go tool oapi-codegen -config specs/oapi/livepush-server.yaml specs/livepush.yaml
//go:generate go tool oapi-codegen -config specs/oapi/livestorm-server.yaml specs/livestorm.yaml
//go:generate go tool oapi-codegen -config specs/oapi/streamdiver-server.yaml specs/streamdiver.yaml
//go:generate go tool oapi-codegen -config specs/oapi/dlive-server.yaml specs/dlive.yaml
//go:generate go tool genqlient specs/dlive/genqlient.yaml
//go:generate go run ./internal/gen specs/livepush.yaml specs/livestorm.yaml specs/dlive.yaml specs/streamdiver.yaml
//go:generate go run ./internal/fidelity/report -o specs/FIDELITY.md -cassettes cassettes specs/livepush.yaml specs/livestorm.yaml specs/dlive.yaml specs/streamdiver.yaml
// Last, so that api/onair.txt lists the public API the steps above made.
//go:generate go run ./internal/apilist
