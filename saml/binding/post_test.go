package binding

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var (
	scriptRE = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	inputRE  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	actionRE = regexp.MustCompile(`<form id="saml-post" method="post" action="([^"]*)"`)
)

// formFields extracts the hidden inputs and action of a rendered page.
func formFields(t testing.TB, page string) (string, url.Values) {
	t.Helper()
	m := actionRE.FindStringSubmatch(page)
	require.NotNil(t, m, page)
	fields := url.Values{}
	for _, in := range inputRE.FindAllStringSubmatch(page, -1) {
		fields.Add(html.UnescapeString(in[1]), html.UnescapeString(in[2]))
	}
	return html.UnescapeString(m[1]), fields
}

// TestWritePOST renders the form and checks that it works under its own
// CSP: the script's hash in the header matches the script in the page, no
// inline handlers or styles, form-action allows the destination (SAMLBind
// §3.5.4, CVE-2023-45683).
func TestWritePOST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dest, param, relayState, origin string
		xml                                   string
	}{
		{name: "response", dest: "https://sp.example.org/acs", param: ParamResponse, relayState: "st", origin: "https://sp.example.org", xml: sampleRequest},
		{name: "request without relay state", dest: "https://idp.example.org:8443/sso?x=1&y=2", param: ParamRequest, origin: "https://idp.example.org:8443", xml: sampleRequest},
		{name: "escaping", dest: "http://SP.example.org/acs?a=\"><script>alert(1)</script>", param: ParamResponse, relayState: `"><script>alert(1)</script>&'`, origin: "http://sp.example.org", xml: `<x a="&lt;"/>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			require.NoError(t, WritePOST(rec, tc.dest, tc.param, []byte(tc.xml), tc.relayState))
			res := rec.Result()
			require.Equal(t, http.StatusOK, res.StatusCode)
			require.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
			require.Equal(t, "no-cache, no-store", res.Header.Get("Cache-Control"))
			require.Equal(t, "no-cache", res.Header.Get("Pragma"))
			page := rec.Body.String()

			scripts := scriptRE.FindAllStringSubmatch(page, -1)
			require.Len(t, scripts, 1, "exactly one script, the fixed one")
			sum := sha256.Sum256([]byte(scripts[0][1]))
			hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
			csp := res.Header.Get("Content-Security-Policy")
			require.Equal(t, "default-src 'none'; script-src "+hash+"; form-action "+tc.origin+"; base-uri 'none'; frame-ancestors 'none'", csp)
			require.NotRegexp(t, `(?i)\son[a-z]+=|style=|<style|javascript:`, page)
			require.Contains(t, page, `<html lang="en">`)
			require.Contains(t, page, `<title>`)
			require.Regexp(t, `(?s)<noscript>.*<button type="submit"[^>]*>Continue</button>.*</noscript>`, page)

			action, fields := formFields(t, page)
			require.Equal(t, tc.dest, strings.Replace(action, "%22%3e%3cscript%3ealert%281%29%3c/script%3e", "\"><script>alert(1)</script>", 1))
			xml, err := base64.StdEncoding.DecodeString(fields.Get(tc.param))
			require.NoError(t, err)
			require.Equal(t, tc.xml, string(xml))
			require.Equal(t, tc.relayState, fields.Get(ParamRelayState))
			if tc.relayState == "" {
				require.NotContains(t, page, `name="RelayState"`)
			}
			require.Equal(t, 1, strings.Count(page, "<script>"), "injected markup must be escaped")
		})
	}
}

// TestPOSTScriptHash pins the constant hash to the constant script.
func TestPOSTScriptHash(t *testing.T) {
	t.Parallel()
	sum := sha256.Sum256([]byte(postScript))
	require.Equal(t, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", postScriptHash)
}

// TestPOSTAllowRedirectOrigins: extra form-action origins are bare http(s)
// origins only; anything else is ErrInvalidConfig.
func TestPOSTAllowRedirectOrigins(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	p := POST{Destination: "https://sp.example.org/acs", Param: ParamResponse, XML: []byte(sampleRequest),
		AllowRedirectOrigins: []string{"https://App.example.org", "http://localhost:8080/"}}
	require.NoError(t, p.Write(rec))
	require.Contains(t, rec.Header().Get("Content-Security-Policy"), "; form-action https://sp.example.org https://app.example.org http://localhost:8080; ")

	for _, bad := range []string{"https://app.example.org/path", "javascript:x", "https://a.example.org?q", "https://a.example.org; script-src *", "*", "https://[::1]"} {
		rec := httptest.NewRecorder()
		p.AllowRedirectOrigins = []string{bad}
		err := p.Write(rec)
		require.ErrorIs(t, err, ErrInvalidConfig, bad)
		require.Zero(t, rec.Body.Len())
	}
}

// TestWritePOSTRefuses: nothing is written when a check fails, so the
// caller can still send an error page (CVE-2023-45683).
func TestWritePOSTRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dest, param, relayState, xml string
		want                               error
	}{
		{name: "javascript", dest: "javascript:alert(document.domain)//", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "javascript mixed case", dest: "JaVaScRiPt:alert(1)", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "javascript with whitespace", dest: " javascript:alert(1)", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "data", dest: "data:text/html;base64,PHNjcmlwdD4=", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "vbscript", dest: "vbscript:msgbox", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "relative", dest: "acs", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "empty", dest: "", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "host with quote", dest: "https://sp.example.org'/acs", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "unicode host", dest: "https://spé.example.org/acs", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "ipv6 literal", dest: "https://[::1]:8443/acs", param: ParamResponse, xml: "<x/>", want: ErrBadDestination},
		{name: "bad param", dest: "https://sp.example.org/acs", param: "RelayState", xml: "<x/>", want: ErrBadParameter},
		{name: "no xml", dest: "https://sp.example.org/acs", param: ParamResponse, want: ErrMissingMessage},
		{name: "relay state", dest: "https://sp.example.org/acs", param: ParamResponse, xml: "<x/>", relayState: strings.Repeat("é", 41), want: ErrRelayStateTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			err := WritePOST(rec, tc.dest, tc.param, []byte(tc.xml), tc.relayState)
			require.ErrorIs(t, err, tc.want)
			require.Zero(t, rec.Body.Len())
			require.Empty(t, rec.Header())
			require.False(t, rec.Flushed)
		})
	}
}

type failingWriter struct{ *httptest.ResponseRecorder }

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestWritePOSTWriteError: a failing ResponseWriter is reported, wrapped.
func TestWritePOSTWriteError(t *testing.T) {
	t.Parallel()
	err := WritePOST(failingWriter{httptest.NewRecorder()}, "https://sp.example.org/acs", ParamResponse, []byte("<x/>"), "")
	require.ErrorContains(t, err, "broken pipe")
}

func postRequest(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "https://sp.example.org/acs", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// TestDecodePOST covers SAMLBind §3.5.4 form decoding, including base64
// wrapped over lines as some peers send it.
func TestDecodePOST(t *testing.T) {
	t.Parallel()
	b64 := base64.StdEncoding.EncodeToString([]byte(sampleRequest))
	wrapped := ""
	for i := 0; i < len(b64); i += 76 {
		wrapped += b64[i:min(i+76, len(b64))] + "\r\n"
	}
	tests := []struct {
		name, body, param, relayState string
	}{
		{name: "response", body: "SAMLResponse=" + url.QueryEscape(b64) + "&RelayState=abc", param: ParamResponse, relayState: "abc"},
		{name: "request wrapped", body: "RelayState=" + url.QueryEscape("a b&c") + "&SAMLRequest=" + url.QueryEscape(wrapped), param: ParamRequest, relayState: "a b&c"},
		{name: "extra fields ignored", body: "x=1&SAMLResponse=" + url.QueryEscape(b64) + "&y=%zz", param: ParamResponse},
		{name: "relay state at limit", body: "SAMLResponse=" + url.QueryEscape(b64) + "&RelayState=" + strings.Repeat("r", 80), param: ParamResponse, relayState: strings.Repeat("r", 80)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := DecodePOST(postRequest(tc.body), Limits{})
			require.NoError(t, err)
			require.Equal(t, tc.param, m.Param)
			require.Equal(t, sampleRequest, string(m.XML))
			require.Equal(t, tc.relayState, m.RelayState)

			// Same result when the caller parsed the form first.
			r := postRequest(tc.body)
			_ = r.ParseForm() // reports %zz but keeps the other pairs
			require.NotNil(t, r.PostForm)
			m2, err := DecodePOST(r, Limits{})
			require.NoError(t, err)
			require.Equal(t, m, m2)
		})
	}
}

// TestDecodePOSTErrors: each way a POST form can be wrong has its sentinel
// (issue 2, "Bad input"; N13, N24: the e-service endpoint receives it).
func TestDecodePOSTErrors(t *testing.T) {
	t.Parallel()
	b64 := url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(sampleRequest)))
	big := url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", 2000))))
	tests := []struct {
		name string
		req  func() *http.Request
		lim  Limits
		want error
	}{
		{name: "nil", req: func() *http.Request { return nil }, want: ErrMissingMessage},
		{name: "GET", req: func() *http.Request { return httptest.NewRequest(http.MethodGet, "/acs?SAMLResponse="+b64, nil) }, want: ErrMethod},
		{name: "json", req: func() *http.Request {
			r := postRequest("SAMLResponse=" + b64)
			r.Header.Set("Content-Type", "application/json")
			return r
		}, want: ErrContentType},
		{name: "no content type", req: func() *http.Request {
			r := postRequest("SAMLResponse=" + b64)
			r.Header.Del("Content-Type")
			return r
		}, want: ErrContentType},
		{name: "empty body", req: func() *http.Request { return postRequest("") }, want: ErrMissingMessage},
		{name: "empty value", req: func() *http.Request { return postRequest("SAMLResponse=") }, want: ErrMissingMessage},
		{name: "whitespace value", req: func() *http.Request { return postRequest("SAMLResponse=%20%0A") }, want: ErrMissingMessage},
		{name: "query only", req: func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/acs?SAMLResponse="+b64, strings.NewReader("a=b"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, want: ErrMissingMessage},
		{name: "duplicate", req: func() *http.Request { return postRequest("SAMLResponse=" + b64 + "&SAMLResponse=" + b64) }, want: ErrDuplicateParameter},
		{name: "both", req: func() *http.Request { return postRequest("SAMLResponse=" + b64 + "&SAMLRequest=" + b64) }, want: ErrDuplicateParameter},
		{name: "relay state too long", req: func() *http.Request {
			return postRequest("SAMLResponse=" + b64 + "&RelayState=" + strings.Repeat("r", 81))
		}, want: ErrRelayStateTooLong},
		{name: "not base64", req: func() *http.Request { return postRequest("SAMLResponse=%21%21") }, want: ErrMalformed},
		{name: "bad escape", req: func() *http.Request { return postRequest("SAMLResponse=%G1") }, want: ErrMalformed},
		{name: "decoded too large", req: func() *http.Request { return postRequest("SAMLResponse=" + big) }, lim: Limits{MaxMessageBytes: 1000}, want: ErrTooLarge},
		{name: "body too large", req: func() *http.Request { return postRequest("SAMLResponse=" + big) }, lim: Limits{MaxEncodedBytes: 100}, want: ErrTooLarge},
		{name: "caller MaxBytesReader", req: func() *http.Request {
			r := postRequest("SAMLResponse=" + big)
			r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 50)
			return r
		}, want: ErrTooLarge},
		{name: "broken body", req: func() *http.Request {
			r := postRequest("")
			r.Body = io.NopCloser(iotestErrReader{})
			return r
		}, want: errBody},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := DecodePOST(tc.req(), tc.lim)
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, m)
		})
	}
}

var errBody = errors.New("connection reset")

type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errBody }

// TestDecodePOSTLimitError: an oversize body is a *LimitError naming the
// limit, also when a caller's http.MaxBytesReader stops it.
func TestDecodePOSTLimitError(t *testing.T) {
	t.Parallel()
	r := postRequest("SAMLResponse=" + strings.Repeat("A", 200))
	r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 50)
	_, err := DecodePOST(r, Limits{})
	le, ok := errors.AsType[*LimitError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, LimitError{What: "form body", Max: 50}, *le)

	_, err = DecodePOST(postRequest("SAMLResponse="+strings.Repeat("A", 200)), Limits{MaxEncodedBytes: 100})
	le, ok = errors.AsType[*LimitError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, LimitError{What: "form body", Max: 100}, *le)
	require.Equal(t, "binding: form body exceeds 100 bytes", err.Error())
}

// TestPOSTRoundTrip posts the rendered form's fields back through DecodePOST.
func TestPOSTRoundTrip(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	require.NoError(t, WritePOST(rec, "https://sp.example.org/acs", ParamResponse, []byte(sampleRequest), "rs<>&\"'"))
	action, fields := formFields(t, rec.Body.String())
	r := httptest.NewRequest(http.MethodPost, action, strings.NewReader(fields.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	m, err := DecodePOST(r, Limits{})
	require.NoError(t, err)
	require.Equal(t, POSTMessage{Param: ParamResponse, XML: []byte(sampleRequest), RelayState: "rs<>&\"'"}, *m)
}
