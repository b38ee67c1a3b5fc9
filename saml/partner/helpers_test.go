package partner_test

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
	"github.com/eidkit/eidkit/saml/samltest"
)

// t0 is the fixed start of the tests' fake clock.
var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const idpID = "CN=niasaptst, L=ZAGREB, OID.2.5.4.97=HR85821130368, O=FINA, C=HR"

// clock is a fake clock tests advance by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// keys are the metadata signing key (trusted through Verifier) and the
// partner's own signing key (published in the metadata).
type keys struct {
	signer  *dsig.Signer
	verify  *dsig.Verifier
	partner *samltest.KeyPair
}

// newKeys uses P-256, which generates fast; newKeysOf picks the type.
func newKeys(t testing.TB) keys { t.Helper(); return newKeysOf(t, samltest.P256) }

func newKeysOf(t testing.TB, kt samltest.KeyType) keys {
	t.Helper()
	md := samltest.NewKeyPair(t, kt)
	return keys{
		signer:  &dsig.Signer{Key: md.Key, Certificates: []*x509.Certificate{md.Certificate}},
		verify:  &dsig.Verifier{Certificates: []*x509.Certificate{md.Certificate}},
		partner: samltest.NewKeyPair(t, kt),
	}
}

// idpEntity builds IdP metadata for entityID valid for validFor from now,
// publishing cert.
func idpEntity(t testing.TB, entityID string, cert *x509.Certificate, now time.Time, validFor, cache time.Duration) *metadata.EntityDescriptor {
	t.Helper()
	ed, err := metadata.NewIDP(metadata.IDPConfig{
		EntityID: entityID,
		SSO: []metadata.Endpoint{
			{Binding: saml.BindingHTTPPOST, Location: "https://idp.example.hr/sso"},
			{Binding: saml.BindingHTTPRedirect, Location: "https://idp.example.hr/sso"},
		},
		SigningCertificates: []*x509.Certificate{cert},
		ValidFor:            validFor,
		CacheDuration:       cache,
		Now:                 func() time.Time { return now },
	})
	require.NoError(t, err)
	return ed
}

// signedIdP returns signed IdP metadata for entityID.
func signedIdP(t testing.TB, k keys, entityID string, now time.Time, validFor time.Duration) []byte {
	t.Helper()
	out, err := idpEntity(t, entityID, k.partner.Certificate, now, validFor, 0).Sign(k.signer)
	require.NoError(t, err)
	return out
}

// aggregate returns an md:EntitiesDescriptor holding eds, signed by signer
// unless it is nil.
func aggregate(t testing.TB, signer *dsig.Signer, validUntil time.Time, eds ...*metadata.EntityDescriptor) []byte {
	t.Helper()
	root := etree.NewElement("md:EntitiesDescriptor")
	root.CreateAttr("xmlns:md", "urn:oasis:names:tc:SAML:2.0:metadata")
	root.CreateAttr("ID", "_federation")
	root.CreateAttr("Name", "urn:example:federation")
	root.CreateAttr("validUntil", validUntil.UTC().Format(time.RFC3339))
	for _, ed := range eds {
		el, err := ed.Element()
		require.NoError(t, err)
		root.AddChild(el)
	}
	if signer != nil {
		require.NoError(t, signer.Sign(root))
	}
	doc := etree.NewDocument()
	doc.SetRoot(root)
	out, err := doc.WriteToBytes()
	require.NoError(t, err)
	return out
}

// mdServer serves one metadata document with an ETag and answers
// If-None-Match with 304. Status, when set, is returned instead.
type mdServer struct {
	mu          sync.Mutex
	body        []byte
	status      int
	hits        int
	full        int
	notModified int
	conditional int
}

func (s *mdServer) set(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body, s.status = body, 0
}

func (s *mdServer) fail(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status = status
}

func (s *mdServer) counts() (hits, full, notModified, conditional int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits, s.full, s.notModified, s.conditional
}

func (s *mdServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	if s.status != 0 {
		http.Error(w, "unavailable", s.status)
		return
	}
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256(s.body))
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		s.conditional++
		if inm == etag {
			s.notModified++
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	s.full++
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/samlmetadata+xml")
	_, _ = w.Write(s.body)
}

// newServer starts an HTTPS server serving body.
func newServer(t testing.TB, body []byte) (*mdServer, *httptest.Server) {
	t.Helper()
	md := &mdServer{body: body}
	srv := httptest.NewUnstartedServer(md)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return md, srv
}

// signingCert returns the first IdP signing certificate of p's metadata.
func signingCert(t testing.TB, ed *metadata.EntityDescriptor) *x509.Certificate {
	t.Helper()
	require.NotNil(t, ed)
	require.NotNil(t, ed.IDP)
	certs := ed.IDP.SigningCertificates()
	require.NotEmpty(t, certs)
	return certs[0]
}

func replaceOnce(t testing.TB, s, old, repl string) string {
	t.Helper()
	i := strings.Index(s, old)
	require.GreaterOrEqual(t, i, 0, "%q not found", old)
	return s[:i] + repl + s[i+len(old):]
}
