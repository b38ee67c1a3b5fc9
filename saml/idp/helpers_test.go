package idp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/partner"
	"github.com/eidkit/eidkit/saml/samltest"
)

const (
	testBase  = "https://idp.example/saml"
	testSSO   = testBase + PathSSO
	testSP    = "https://sp.example/metadata"
	testACS   = "https://sp.example/acs"
	testSLO   = "https://sp.example/slo"
	testSP2   = "CN=sp2, O=Example, C=HR"
	testACS2  = "https://sp2.example/acs"
	testSLO2  = "https://sp2.example/slo"
	testOIB   = "12345678903"
	testRelay = "relay-0123"
)

// Test keys are RSA-2048 pairs checked in under testdata/keys (made with
// samltest.GenerateKeyPair): generating them in every fuzz worker is slow.
var (
	keysOnce                sync.Once
	idpKP, spKP, sp2KP, xKP *samltest.KeyPair
)

func keys(t testing.TB) {
	keysOnce.Do(func() {
		load := func(name string) *samltest.KeyPair {
			keyPEM, err := os.ReadFile("testdata/keys/" + name + ".key.pem")
			if err != nil {
				panic(err)
			}
			certPEM, err := os.ReadFile("testdata/keys/" + name + ".crt.pem")
			if err != nil {
				panic(err)
			}
			kb, _ := pem.Decode(keyPEM)
			cb, _ := pem.Decode(certPEM)
			key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
			if err != nil {
				panic(err)
			}
			cert, err := x509.ParseCertificate(cb.Bytes)
			if err != nil {
				panic(err)
			}
			return &samltest.KeyPair{Key: key.(crypto.Signer), Certificate: cert}
		}
		idpKP, spKP, sp2KP, xKP = load("idp"), load("sp"), load("sp2"), load("attacker")
	})
}

var testT0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t     testing.TB
	idp   *IdP
	reg   *partner.Registry
	clock *clock
	calls int // Authenticator calls
	mu    sync.Mutex
}

// spPartner builds SP metadata partner for tests.
func spPartner(t testing.TB, id, acs, slo string, kp *samltest.KeyPair, soap string, mod func(*metadata.SPConfig)) *partner.Partner {
	cfg := metadata.SPConfig{
		EntityID: id,
		ACS:      []metadata.Endpoint{{Binding: saml.BindingHTTPPOST, Location: acs}},
		SLO: []metadata.Endpoint{{Binding: saml.BindingHTTPRedirect, Location: slo},
			{Binding: saml.BindingHTTPPOST, Location: slo}},
		SigningCertificates:    []*x509.Certificate{kp.Certificate},
		EncryptionCertificates: []*x509.Certificate{kp.Certificate},
		Now:                    func() time.Time { return testT0 },
		ValidFor:               24 * time.Hour * 365,
	}
	if soap != "" {
		cfg.SLO = []metadata.Endpoint{{Binding: saml.BindingSOAP, Location: soap}}
	}
	if mod != nil {
		mod(&cfg)
	}
	md, err := metadata.NewSP(cfg)
	require.NoError(t, err)
	return &partner.Partner{EntityID: id, Metadata: md}
}

// testAuth is a form authenticator: the first step shows a form, a POST
// to the login endpoint with user=ana (or cancel, or anything else) ends it.
func (e *env) testAuth() Authenticator {
	return AuthenticatorFunc(func(w http.ResponseWriter, r *http.Request, req *Request) (*Authentication, error) {
		e.mu.Lock()
		e.calls++
		e.mu.Unlock()
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, PathLogin) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<form method="post" action="` + html.EscapeString(req.LoginURL) + `"><input name="user"></form>`))
			return nil, ErrInProgress
		}
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		level := loa.Notified(loa.Substantial)
		if r.PostForm.Get("level") == "high" {
			level = loa.Notified(loa.High)
		} else if r.PostForm.Get("level") == "low" {
			level = loa.Notified(loa.Low)
		}
		switch r.PostForm.Get("user") {
		case "ana", "ivo":
			return &Authentication{Subject: saml.NameID{Value: testOIB + r.PostForm.Get("user"), Format: saml.NameIDFormatPersistent},
				Attributes: sixAttributes(), LoA: level}, nil
		case "cancel":
			return nil, ErrCancelled
		default:
			return nil, ErrAuthnFailed
		}
	})
}

func sixAttributes() []saml.Attribute {
	basic := func(n, v string) saml.Attribute {
		return saml.Attribute{Name: n, NameFormat: saml.AttrNameFormatBasic, Values: []saml.AttributeValue{{Value: v}}}
	}
	uri := func(n, v string) saml.Attribute {
		return saml.Attribute{Name: "http://eidas.europa.eu/attributes/naturalperson/" + n, NameFormat: saml.AttrNameFormatURI,
			Values: []saml.AttributeValue{{Value: v}}}
	}
	return []saml.Attribute{basic("oib", testOIB), basic("ime", "Ana"), basic("prezime", "Horvat"),
		uri("PersonIdentifier", "HR/HR/"+testOIB), uri("CurrentGivenName", "Ana"), uri("DateOfBirth", "1990-01-01")}
}

func newEnv(t testing.TB, mods ...func(*Config)) *env {
	keys(t)
	return newEnvSPs(t, []*partner.Partner{
		spPartner(t, testSP, testACS, testSLO, spKP, "", nil),
		spPartner(t, testSP2, testACS2, testSLO2, sp2KP, "", nil)}, mods...)
}

func newEnvSPs(t testing.TB, sps []*partner.Partner, mods ...func(*Config)) *env {
	keys(t)
	e := &env{t: t, clock: &clock{t: testT0}}
	reg, err := partner.NewStatic(partner.StaticConfig{Environment: "test", Partners: sps, Now: e.clock.Now})
	require.NoError(t, err)
	e.reg = reg
	cfg := Config{
		EntityID: "https://idp.example/metadata", BaseURL: testBase,
		Key: idpKP.Key, Certificates: []*x509.Certificate{idpKP.Certificate},
		SPs: reg, Authenticator: e.testAuth(),
		Levels: []loa.Level{loa.Notified(loa.Low), loa.Notified(loa.Substantial), loa.Notified(loa.High)},
		Now:    e.clock.Now,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	}
	for _, m := range mods {
		m(&cfg)
	}
	p, err := New(cfg)
	require.NoError(t, err)
	e.idp = p
	return e
}

func (e *env) authnRequest(mod func(*saml.AuthnRequest)) *saml.AuthnRequest {
	id, err := saml.NewID(nil)
	require.NoError(e.t, err)
	ar := &saml.AuthnRequest{ID: id, IssueInstant: e.clock.Now(), Destination: testSSO,
		Issuer: &saml.NameID{Value: testSP}, AssertionConsumerServiceURL: testACS, ProtocolBinding: saml.BindingHTTPPOST}
	if mod != nil {
		mod(ar)
	}
	return ar
}

func toXML(t testing.TB, el *etree.Element) []byte {
	b, err := serialize(el)
	require.NoError(t, err)
	return b
}

// redirectURL encodes ar on HTTP-Redirect, signed with key when non-nil.
func redirectURL(t testing.TB, dest string, param string, el *etree.Element, relay string, key crypto.Signer) string {
	u, err := (&binding.Redirect{Destination: dest, Param: param, XML: toXML(t, el), RelayState: relay, Key: key}).URL()
	require.NoError(t, err)
	return u
}

// signed returns el signed enveloped by kp.
func signed(t testing.TB, el *etree.Element, kp *samltest.KeyPair) *etree.Element {
	require.NoError(t, (&dsig.Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}).Sign(el))
	return el
}

func postRequest(target, param string, xml []byte, relay string) *http.Request {
	form := url.Values{param: {base64.StdEncoding.EncodeToString(xml)}}
	if relay != "" {
		form.Set("RelayState", relay)
	}
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// do runs r through the handler with cookies.
func (e *env) do(r *http.Request, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	for _, c := range cookies {
		if c != nil && c.MaxAge >= 0 && c.Value != "" {
			r.AddCookie(c)
		}
	}
	w := httptest.NewRecorder()
	e.idp.Handler().ServeHTTP(w, r)
	return w
}

// jar keeps the latest cookie of each name.
type jar map[string]*http.Cookie

func (j jar) update(w *httptest.ResponseRecorder) {
	for _, c := range w.Result().Cookies() {
		j[c.Name] = c
	}
}

func (j jar) list() []*http.Cookie {
	var out []*http.Cookie
	for _, c := range j {
		out = append(out, c)
	}
	return out
}

var (
	formAction = regexp.MustCompile(`action="([^"]*)"`)
	formField  = regexp.MustCompile(`name="(SAMLResponse|SAMLRequest|RelayState)" value="([^"]*)"`)
)

// posted extracts the auto-post form of a binding.WritePOST page.
type posted struct {
	Action, Param, RelayState string
	XML                       []byte
}

func parsePosted(t testing.TB, body string) *posted {
	m := formAction.FindStringSubmatch(body)
	require.NotNil(t, m, "no form in %q", body)
	p := &posted{Action: html.UnescapeString(m[1])}
	for _, f := range formField.FindAllStringSubmatch(body, -1) {
		v := html.UnescapeString(f[2])
		if f[1] == "RelayState" {
			p.RelayState = v
			continue
		}
		p.Param = f[1]
		b, err := base64.StdEncoding.DecodeString(v)
		require.NoError(t, err)
		p.XML = b
	}
	require.NotEmpty(t, p.XML, "no SAML message in form")
	return p
}

// response parses a posted Response and verifies its assertion signature.
func (e *env) response(w *httptest.ResponseRecorder) (*saml.Response, *posted) {
	e.t.Helper()
	require.Equal(e.t, http.StatusOK, w.Code, w.Body.String())
	p := parsePosted(e.t, w.Body.String())
	require.Equal(e.t, binding.ParamResponse, p.Param)
	resp, err := saml.ParseResponseBytes(p.XML, saml.Limits{})
	require.NoError(e.t, err)
	v := dsig.Verifier{Certificates: []*x509.Certificate{idpKP.Certificate}}
	for _, a := range resp.Assertions {
		_, err := v.Verify(a.Raw)
		require.NoError(e.t, err)
	}
	if len(resp.Assertions) == 0 {
		_, err := v.Verify(resp.Raw)
		require.NoError(e.t, err, "status responses are signed")
	}
	return resp, p
}

// login runs a full login for ar on HTTP-Redirect and returns the response.
func (e *env) login(j jar, ar *saml.AuthnRequest, user, level string) (*saml.Response, *posted) {
	w := e.do(httptest.NewRequest(http.MethodGet, redirectURL(e.t, testSSO, binding.ParamRequest, ar.Element(), testRelay, spKeyFor(ar)), nil), j.list()...)
	j.update(w)
	if bytes.Contains(w.Body.Bytes(), []byte("SAMLResponse")) {
		return e.response(w)
	}
	require.Contains(e.t, w.Body.String(), PathLogin, "login form expected")
	r := httptest.NewRequest(http.MethodPost, testBase+PathLogin, strings.NewReader(url.Values{"user": {user}, "level": {level}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = e.do(r, j.list()...)
	j.update(w)
	return e.response(w)
}

func spKeyFor(ar *saml.AuthnRequest) crypto.Signer {
	if ar.Issuer != nil && ar.Issuer.Value == testSP2 {
		return sp2KP.Key
	}
	return spKP.Key
}

func statusOf(r *saml.Response) (string, string) {
	return r.Status.Code, r.Status.SubCode
}

var _ = context.Background

type x509Certificate = x509.Certificate
type cryptoDecrypter = crypto.Decrypter

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func signingMethod(alg string) metadata.SigningMethod { return metadata.SigningMethod{Algorithm: alg} }

const time30m = 30 * time.Minute

// testWriter sends log lines to t.Log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}
