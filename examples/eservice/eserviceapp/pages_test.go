package eserviceapp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eidkit/eidkit/loa"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/sp"
	"github.com/stretchr/testify/require"
)

func newTestApp(t testing.TB) *app {
	t.Helper()
	a, err := newApp(resolve(Config{DataDir: t.TempDir(), IdPMetadataURL: DefaultIdPMetadataURL}), "http://127.0.0.1:8443")
	require.NoError(t, err)
	return a
}

func testIdentity() *sp.Identity {
	return &sp.Identity{
		NameID: "b3Bhc3F1ZQ", NameIDFormat: saml.NameIDFormatPersistent, SessionIndex: "_s1",
		LoA: loa.Notified(loa.High), LoAClassRef: "http://eidas.europa.eu/LoA/high",
		Issuer: testIdPEntityID, AuthnInstant: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), AssertionID: "_a1",
		Attributes: map[string][]string{"ime": {"Ana", "Marija"}, "prezime": {"Anić"}},
		RawAttributes: []sp.Attribute{
			{Name: "ime", NameFormat: saml.AttrNameFormatBasic, Values: []sp.AttributeValue{{Value: "Ana", LatinScript: true}, {Value: "Marija", LatinScript: true}}},
			{Name: "prezime", NameFormat: saml.AttrNameFormatBasic, Values: []sp.AttributeValue{{Value: "Anić", LatinScript: true}}},
			{Name: sp.EIDASCurrentFamilyName, NameFormat: saml.AttrNameFormatURI, FriendlyName: "FamilyName",
				Values: []sp.AttributeValue{{Value: "Анић", LatinScript: false}}},
		},
	}
}

func render(t testing.TB, a *app, id *sp.Identity) (*httptest.ResponseRecorder, string) {
	t.Helper()
	w := httptest.NewRecorder()
	d := a.data(httptest.NewRequest(http.MethodGet, "/profile", nil), "What the issuer sent", id)
	d.Identity, d.Attributes = id, attributesOf(id)
	a.write(w, profileTemplate, d)
	return w, w.Body.String()
}

// TestProfilePage: everything that arrived is shown, every value of every
// attribute, with the page's headers.
func TestProfilePage(t *testing.T) {
	a := newTestApp(t)
	w, body := render(t, a, testIdentity())
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, "default-src 'none'; form-action 'self' http://127.0.0.1:8444; base-uri 'none'; frame-ancestors 'none'",
		w.Header().Get("Content-Security-Policy"))
	require.Equal(t, "no-store", w.Header().Get("Cache-Control"))
	for _, want := range []string{
		`<html lang="en">`, "<title>What the issuer sent – eidkit demo e-service</title>", "<main>", `<nav aria-label="Main">`,
		"<dt>NameID</dt><dd>b3Bhc3F1ZQ</dd>", "<dd>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</dd>",
		"<dt>SessionIndex</dt><dd>_s1</dd>", "<dd>high (http://eidas.europa.eu/LoA/high)</dd>",
		"<dt>Issuer</dt><dd>" + testIdPEntityID + "</dd>", "<dd>2026-11-22 10:00:00 UTC</dd>",
		"<li>Ana</li>", "<li>Marija</li>", "<li>Anić</li>", "<li>Анић (non-Latin script)</li>",
		"Signed in as Ana Anić at LoA high.", `action="http://127.0.0.1:8443/saml/logout"`,
	} {
		require.Contains(t, body, want)
	}
}

func TestAttributesOfFallback(t *testing.T) {
	id := testIdentity()
	id.RawAttributes = nil
	got := attributesOf(id)
	require.Len(t, got, 2)
	require.Equal(t, "ime", got[0].Name)
	require.Equal(t, []sp.AttributeValue{{Value: "Ana", LatinScript: true}, {Value: "Marija", LatinScript: true}}, got[0].Values)
	require.Nil(t, attributesOf(nil))
	require.Equal(t, "b3Bhc3F1ZQ", displayName(&sp.Identity{NameID: "b3Bhc3F1ZQ"}))
}

// FuzzProfilePage renders attribute names and values as an IdP might send
// them: markup never survives into the page.
func FuzzProfilePage(f *testing.F) {
	a := newTestApp(f)
	f.Add("ime", "<script>alert(1)</script>")
	f.Add(`" onmouseover="x`, "javascript:alert(1)")
	f.Add("prezime", "</td></tr></table><img src=x>")
	f.Fuzz(func(t *testing.T, name, value string) {
		id := testIdentity()
		id.NameID = value
		id.RawAttributes = append(id.RawAttributes, sp.Attribute{Name: name, FriendlyName: value, Values: []sp.AttributeValue{{Value: value}}})
		_, body := render(t, a, id)
		for _, bad := range []string{"<script", "<img", "<iframe"} {
			if strings.Contains(name+value, bad) {
				require.NotContains(t, body, bad)
			}
		}
	})
}

func BenchmarkProfilePage(b *testing.B) {
	a := newTestApp(b)
	id := testIdentity()
	for b.Loop() {
		render(b, a, id)
	}
}
