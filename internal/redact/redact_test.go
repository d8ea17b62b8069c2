package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// secret has characters that every escaping changes.
const secret = "s3/cr+t=Val~ue.x9"

func b64(enc *base64.Encoding, s string) string { return enc.EncodeToString([]byte(s)) }

// A known value is found however the text writes it.
func TestTextKnownValue(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"raw", "got s3/cr+t=Val~ue.x9.", "got [redacted]."},
		{"twice", "s3/cr+t=Val~ue.x9s3/cr+t=Val~ue.x9 and s3/cr+t=Val~ue.x9", "[redacted] and [redacted]"},
		{"query-escaped", "got s3%2Fcr%2Bt%3DVal~ue.x9&n=1", "got [redacted]&n=1"},
		{"query-escaped in lower case", "got s3%2fcr%2bt%3dVal~ue.x9&n=1", "got [redacted]&n=1"},
		{"query-escaped in mixed case", "got s3%2Fcr%2bt%3DVal~ue.x9&n=1", "got [redacted]&n=1"},
		{"path-escaped", "/cb/s3%2Fcr+t=Val~ue.x9/x", "/cb/[redacted]/x"},
		{"escaped twice", "got s3%252Fcr%252Bt%253DVal~ue.x9!", "got [redacted]!"},
		{"every byte percent-escaped", "got %73%33%2f%63%72%2b%74%3d%56%61%6c%7e%75%65%2e%78%39!", "got [redacted]!"},
		{"after an escape-like prefix", "got %4s3%2fcr%2bt%3dVal~ue.x9!", "got %4[redacted]!"},
		{"JSON \\u escapes", `got s3\u002fcr\u002bt\u003dVal~ue.x9!`, "got [redacted]!"},
		{"JSON \\u escapes in upper case", `got s3\u002Fcr\u002Bt\u003DVal\u007Eue.x9!`, "got [redacted]!"},
		{"JSON escaped slash", `got s3\/cr+t=Val~ue.x9!`, "got [redacted]!"},
		{"JSON surrogate pair next to it", `got \ud83d\ude00s3\/cr+t=Val~ue.x9!`, `got \ud83d\ude00[redacted]!`},
		{"Go \\x escapes", `got s3\x2fcr\x2bt\x3dVal~ue.x9!`, "got [redacted]!"},
		{"HTML hex references", "got s3&#x2f;cr&#x2B;t&#x3d;Val~ue.x9!", "got [redacted]!"},
		{"HTML decimal references", "got s3&#47;cr&#43;t&#61;Val~ue.x9!", "got [redacted]!"},
		{"HTML references without ';'", "got s3&#47cr&#43t&#61Val~ue.x9!", "got [redacted]!"},
		{"HTML named references", "got s3&sol;cr&plus;t&equals;Val&tilde;ue.x9!", "got s3&sol;cr&plus;t&equals;Val&tilde;ue.x9!"},
		{"HTML named references (ASCII)", "got s3&sol;cr&plus;t&equals;Val~ue&period;x9!", "got [redacted]!"},
		{"HTML over percent-escapes", "got s3&#x25;2Fcr&#x25;2Bt&#x25;3DVal~ue.x9!", "got [redacted]!"},
		{"JSON over percent-escapes", `got s3\u00252Fcr%2Bt%3DVal~ue.x9!`, "got [redacted]!"},
		{"base64", "got " + b64(base64.StdEncoding, secret) + "!", "got [redacted]!"},
		{"base64 at offset 1", "got " + b64(base64.StdEncoding, "x"+secret+"y") + "!", "got [redacted]!"},
		{"base64 at offset 2", "got " + b64(base64.StdEncoding, "xy"+secret) + "!", "got [redacted]!"},
		{"base64 unpadded", "got " + b64(base64.RawStdEncoding, "xyz"+secret+"y") + "!", "got [redacted]!"},
		{"base64url", "got " + b64(base64.URLEncoding, `{"k":"`+secret+`"}`) + "!", "got [redacted]!"},
		{"base64url unpadded", "got " + b64(base64.RawURLEncoding, "a:"+secret) + "!", "got [redacted]!"},
		{"base64 glued to a word", "got:abc" + b64(base64.StdEncoding, "n:"+secret) + "!", "got:[redacted]!"},
		{"base64 of a query-escaped form", "got " + b64(base64.StdEncoding, "a=1&b="+url.QueryEscape(secret)) + "!", "got [redacted]!"},
		{"Basic credential", "x Basic " + b64(base64.StdEncoding, "my-app:"+url.QueryEscape(secret)) + " y", "x Basic [redacted] y"},
		{"base64 escaped in lower case", "Location: /cb?e=" + lowerEscapes(url.QueryEscape(b64(base64.StdEncoding, "id:"+secret))) + "&n=1",
			"Location: /cb?e=[redacted]&n=1"},
		{"JWT-like parts", "got x." + b64(base64.RawURLEncoding, secret) + ".y!", "got x.[redacted].y!"},
		{"no secret", "got nothing of the kind, s3/cr+t=Val~ue.x8", "got nothing of the kind, s3/cr+t=Val~ue.x8"},
	}
	var s Set
	s.Add(secret)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, s.Text(tc.text)); d != "" {
				t.Errorf("Text(%q) (-want +got):\n%s", tc.text, d)
			}
		})
	}
}

func TestTextSecretWithSpace(t *testing.T) {
	var s Set
	s.Add("pass phrase 42")
	for _, text := range []string{"got pass phrase 42!", "got pass+phrase+42!", "got pass%20phrase%2042!", `got pass\u0020phrase 42!`} {
		if got := s.Text(text); got != "got [redacted]!" {
			t.Errorf("Text(%q) = %q, want %q", text, got, "got [redacted]!")
		}
	}
}

// The values of secret-named parameters are removed however the text is
// written, with no known value.
func TestParams(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"query", "client_secret=abc123&x=1", "client_secret=[redacted]&x=1"},
		{"query in upper case", "CLIENT_SECRET=abc123&x=1", "CLIENT_SECRET=[redacted]&x=1"},
		{"escaped query", "client_secret%3Dabc123%26x%3D1", "client_secret%3D[redacted]%26x%3D1"},
		{"escaped value", "code=a%2Fb%2Bc&x=1", "code=[redacted]&x=1"},
		{"JSON", `{"access_token":"eyJhbGciOi.x.y","token_type":"bearer"}`, `{"access_token":"[redacted]","token_type":"bearer"}`},
		{"JSON with spaces", `{"id_token" : "eyJ.x.y"}`, `{"id_token" : "[redacted]"}`},
		{"JSON string with an escaped quote", `{"password":"ab\"cd","x":1}`, `{"password":"[redacted]","x":1}`},
		{"JSON in a JSON string", `"{\"refresh_token\":\"r-1234\"}"`, `"{\"refresh_token\":\"[redacted]\"}"`},
		{"single quotes", `{'refresh_token': 'r-123456'}`, `{'refresh_token': '[redacted]'}`},
		{"unquoted keys", `{access_token: "a1b2c3d4", expires_in: 3600}`, `{access_token: "[redacted]", expires_in: 3600}`},
		{"\\u escape in the key", `{"\u0061ccess_token":"a1b2c3d4"}`, `{"\u0061ccess_token":"[redacted]"}`},
		{"\\u escapes in the value", `{"access_token":"\u0061\u0062c123"}`, `{"access_token":"[redacted]"}`},
		{"YAML", "access_token: a1b2c3d4\nrefresh_token: \"r9r9r9r9\"\nexpires_in: 3600\n",
			"access_token: [redacted]\nrefresh_token: \"[redacted]\"\nexpires_in: 3600\n"},
		{"camelCase", "accessToken=a1&refreshToken=b2b2b&clientSecret=c3c3c&codeVerifier=d4d4d&idToken=e5e5e",
			"accessToken=[redacted]&refreshToken=[redacted]&clientSecret=[redacted]&codeVerifier=[redacted]&idToken=[redacted]"},
		{"kebab-case", "x-auth-token: t-998877", "x-auth-token: [redacted]"},
		{"PascalCase XML", "<AccessToken>a1b2c3</AccessToken>", "<AccessToken>[redacted]</AccessToken>"},
		{"HTML input", `<input name="code" value="c0de-123">`, `<input name="code" value="[redacted]">`},
		{"Ruby hash", `{:password => "hunter22"}`, `{:password => "[redacted]"}`},
		{"quoted after a blank", "the token 'tok-98765' expired", "the token '[redacted]' expired"},
		{"Go-quoted", `malformed "code=xyz12345&a=b"`, `malformed "code=[redacted]&a=b"`},
		{"fragment", "https://a.example/cb#access_token=at-1&state=s", "https://a.example/cb#access_token=[redacted]&state=s"},
		{"Authorization Bearer", "Authorization: Bearer abc.def.ghi", "Authorization: [redacted]"},
		{"Authorization in JSON", `{"Authorization": "Bearer abc.def"}`, `{"Authorization": "[redacted]"}`},
		{"bare Authorization", "rejected header Authorization: abcdef123\nnext", "rejected header Authorization: [redacted]\nnext"},
		{"Bearer credential", "rejected Bearer abc.def-ghi_jkl= here", "rejected Bearer [redacted] here"},
		{"Basic credential", "quoting Basic bXktYXBwOnNlY3JldA==.", "quoting Basic [redacted]."},
		{"lower-case basic", "basic bXktYXBwOnNlY3JldA==", "basic [redacted]"},
		{"Cookie", "Cookie: session=abc; other=def\n", "Cookie: [redacted]\n"},
		{"API key", "X-Api-Key: k-123456", "X-Api-Key: [redacted]"},
		{"two in a row", "code=a&code=b", "code=[redacted]&code=[redacted]"},
		{"unterminated quote", `{"access_token":"abc`, `{"access_token":"[redacted]`},
		{"PHP print_r", "Array\n(\n    [access_token] => at-1234\n    [refresh_token] => rt-5678\n)\n",
			"Array\n(\n    [access_token] => [redacted]\n    [refresh_token] => [redacted]\n)\n"},
		{"PHP var_export", `array ('access_token' => 'at-1234')`, `array ('access_token' => '[redacted]')`},
		{"arrow", "access_token -> at-1234\n", "access_token -> [redacted]\n"},
		{"Go short declaration", `refresh_token := "rt-5678"`, `refresh_token := "[redacted]"`},
		{"XML with attributes", `<access_token type="bearer">at-1234</access_token>`, `<access_token type="bearer">[redacted]</access_token>`},
		{"XML with a namespace", `<ns:access_token>at-1234</ns:access_token>`, `<ns:access_token>[redacted]</ns:access_token>`},
		{"XML with a namespace and attributes", `<oa:AccessToken a="1" b='2'>at-1234</oa:AccessToken>`, `<oa:AccessToken a="1" b='2'>[redacted]</oa:AccessToken>`},
		{"JSON array", `{"access_token": ["at-1234", "at-5678"]}`, `{"access_token": ["[redacted]", "at-5678"]}`},
		{"JSON array unquoted", `{access_token: [at-1234]}`, `{access_token: [[redacted]]}`},
		{"JSON object", `{"token": {"access": "at-1234", "refresh": "rt-5678"}, "x": 1}`, `{"token": [redacted], "x": 1}`},
		{"JSON value on the next line", "{\"access_token\":\n    \"at-1234\"}", "{\"access_token\":\n    \"[redacted]\"}"},

		// What is not a secret stays.
		{"challenge auth-params", `Bearer realm="api", error="invalid_token", error_description="expired"`,
			`Bearer realm="api", error="invalid_token", error_description="expired"`},
		{"status code", "HTTP status code: 404", "HTTP status code: 404"},
		{"token type", "token_type=bearer&expires_in=3600", "token_type=bearer&expires_in=3600"},
		{"grant type", "grant_type=client_credentials&scope=a+b", "grant_type=client_credentials&scope=a+b"},
		{"error code", "error_code=E42", "error_code=E42"},
		{"code challenge", "code_challenge=abc&code_challenge_method=S256", "code_challenge=abc&code_challenge_method=S256"},
		{"null", `{"code": null, "refresh_token": ""}`, `{"code": null, "refresh_token": ""}`},
		{"names in a value", `"scope": "access_token refresh_token"`, `"scope": "access_token refresh_token"`},
		{"prose", "the token expired; ask for a new token", "the token expired; ask for a new token"},
		{"already redacted", "client_secret=[redacted]&code=[redacted]", "client_secret=[redacted]&code=[redacted]"},
		{"self-closing XML", `<access_token type="none"/><b>visible</b>`, `<access_token type="none"/><b>visible</b>`},
		{"YAML key with no value", "access_token:\n  kind: bearer\n", "access_token:\n  kind: bearer\n"},
		{"a name in brackets", "missing [access_token] in request", "missing [access_token] in request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, Params(tc.text)); d != "" {
				t.Errorf("Params(%q) (-want +got):\n%s", tc.text, d)
			}
		})
	}
}

// Redacting what is redacted changes nothing, so that an error redacted
// twice reads the same.
func TestTextIdempotent(t *testing.T) {
	var s Set
	s.Add(secret, "red", "d]x")
	for _, text := range []string{
		"got " + secret, "[redacted]x", "code=[redacted]", "red and redacted", "Basic [redacted]",
		"Authorization: Bearer [redacted]", `{"access_token":"[redacted]"}`, "d]xd]x",
	} {
		once := s.Text(text)
		if twice := s.Text(once); twice != once {
			t.Errorf("Text(%q) = %q, but Text of that = %q", text, once, twice)
		}
	}
}

// A value that starts or ends as Mark does is not found again where a Mark's
// own characters spell part of it: the text before "[redacted]" would go,
// pass after pass, were it taken for the start of such a value.
func TestTextValueSpelledByMark(t *testing.T) {
	cases := []struct{ value, text, want string }{
		{"0000000[", "0000000" + encodeUTF16("0000000[", false, false) + "0", "0000000[redacted]\x000"},
		{"aaaaaaa[", strings.Repeat("a", 14) + "aaaaaaa[", strings.Repeat("a", 14) + "[redacted]"},
		{"aaaaaaa[", "%61%61%61%61%61%61%61aaaaaaa[", "%61%61%61%61%61%61%61[redacted]"},
		{"]abcdefg", "]abcdefgabcdefg", "[redacted]abcdefg"},
		{"d]abcdef", "x[redacted]abcdef d]abcdef", "x[redacted]abcdef [redacted]"},
		{"0000000[", "000000" + encodeUTF16("0000000[redacted]", false, false), "000000" + encodeUTF16("0000000[redacted]", false, false)},
	}
	for _, tc := range cases {
		var s Set
		s.Add(tc.value)
		once := s.Text(tc.text)
		if d := cmp.Diff(tc.want, once); d != "" {
			t.Errorf("value %q: Text(%q) (-want +got):\n%s", tc.value, tc.text, d)
		}
		if twice := s.Text(once); twice != once {
			t.Errorf("value %q: Text(%q) = %q, but Text of that = %q", tc.value, tc.text, once, twice)
		}
	}
}

func TestURL(t *testing.T) {
	var s Set
	s.Add(secret)
	cases := []struct{ raw, want string }{
		{"https://user:pw@host.example/p?client_secret=abc&code=def&state=s#access_token=ghi",
			"https://[redacted]@host.example/p?client_secret=[redacted]&code=[redacted]&state=s#access_token=[redacted]"},
		{"http://127.0.0.1:9/token?client_id=id&client_secret=" + url.QueryEscape(secret) + "&grant_type=refresh_token",
			"http://127.0.0.1:9/token?client_id=id&client_secret=[redacted]&grant_type=refresh_token"},
		{"https://h.example/" + secret + "/x", "https://h.example/[redacted]/x"},
		{"https://h.example/cb?e=" + b64(base64.URLEncoding, secret), "https://h.example/cb?e=[redacted]"},
		{"::%zz?code=abc", "::%zz?code=[redacted]"},
		{"https://h.example/p?q=1", "https://h.example/p?q=1"},
	}
	for _, tc := range cases {
		if d := cmp.Diff(tc.want, s.URL(tc.raw)); d != "" {
			t.Errorf("URL(%q) (-want +got):\n%s", tc.raw, d)
		}
	}
}

func TestIsSecretParam(t *testing.T) {
	secret := strings.Fields("access_token ACCESS_TOKEN accessToken AccessToken access-token client_secret clientSecret " +
		"code Code code_verifier codeVerifier id_token idToken refresh_token refreshToken token password passwd " +
		"assertion client_assertion api_key apiKey x-api-key Authorization Proxy-Authorization X-Auth-Token Cookie")
	plain := strings.Fields("token_type tokenType expires_in error_code grant_type state scope code_challenge " +
		"code_challenge_method bearer basic redirect_uri client_id error_description")
	for _, n := range secret {
		if !IsSecretParam(n) {
			t.Errorf("IsSecretParam(%q) = false, want true", n)
		}
	}
	for _, n := range plain {
		if IsSecretParam(n) {
			t.Errorf("IsSecretParam(%q) = true, want false", n)
		}
	}
}

// The base64 digits that a secret's bytes alone decide show all of it but
// a few bits; whatever the digits around them are, or if there are none,
// the run goes.
func TestTextBase64EdgesChanged(t *testing.T) {
	var s Set
	s.Add(secret)
	for k := range 3 {
		enc := b64(base64.StdEncoding, strings.Repeat("x", k)+secret+"yz")
		from, to := (8*k+5)/6, (8*(k+len(secret)))/6
		changed := strings.Repeat("A", from) + enc[from:to] + strings.Repeat("A", len(enc)-to)
		for _, blob := range []string{changed, enc[from:to]} {
			if got, want := s.Text("got "+blob+"!"), "got [redacted]!"; got != want {
				t.Errorf("offset %d: Text(%q) = %q, want %q", k, "got "+blob+"!", got, want)
			}
		}
	}
}
