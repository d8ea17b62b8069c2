package scopes_test

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/onair-go/onair/scopes"
)

// specScopes reads the scopes of a spec's oauth2 scheme, in its order
// (every flow's, first occurrence first).
func specScopes(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			SecuritySchemes struct {
				OAuth2 struct {
					Flows struct {
						AuthorizationCode struct {
							Scopes yaml.Node `yaml:"scopes"`
						} `yaml:"authorizationCode"`
						ClientCredentials struct {
							Scopes yaml.Node `yaml:"scopes"`
						} `yaml:"clientCredentials"`
					} `yaml:"flows"`
				} `yaml:"oauth2"`
			} `yaml:"securitySchemes"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatal(err)
	}
	flows := doc.Components.SecuritySchemes.OAuth2.Flows
	var out []string
	seen := map[string]bool{}
	for _, n := range []yaml.Node{flows.AuthorizationCode.Scopes, flows.ClientCredentials.Scopes} {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i].Value; !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	return out
}

// The constants (generated), each spec's scope list (hand-written) and the
// documented scopes (the constants table above, from the providers' pages)
// agree.
func TestSpecsAgree(t *testing.T) {
	documented := map[string][]string{}
	for _, c := range constants {
		for _, p := range []string{"Livepush", "Livestorm", "DLive", "Streamdiver"} {
			if len(c.name) > len(p) && c.name[:len(p)] == p {
				documented[p] = append(documented[p], c.want)
			}
		}
	}
	for _, tc := range []struct {
		provider, spec string
		all            []string
	}{
		{"Livepush", "../specs/livepush.yaml", strs(scopes.All[scopes.Livepush]())},
		{"Livestorm", "../specs/livestorm.yaml", strs(scopes.All[scopes.Livestorm]())},
		{"DLive", "../specs/dlive.yaml", strs(scopes.All[scopes.DLive]())},
		{"Streamdiver", "../specs/streamdiver.yaml", strs(scopes.All[scopes.Streamdiver]())},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			spec := specScopes(t, tc.spec)
			if d := cmp.Diff(spec, tc.all); d != "" {
				t.Errorf("constants vs %s (-spec +constants):\n%s", tc.spec, d)
			}
			if d := cmp.Diff(documented[tc.provider], spec); d != "" {
				t.Errorf("documented vs %s (-documented +spec):\n%s", tc.spec, d)
			}
		})
	}
}
