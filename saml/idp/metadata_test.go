package idp

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/metadata"
)

// TestMetadataEndpoint: the served metadata is signed with the issuer's
// key and lists the endpoints Mount serves.
func TestMetadataEndpoint(t *testing.T) {
	e := newEnv(t)
	w := e.do(get(testBase + PathMetadata))
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, "application/samlmetadata+xml", w.Header().Get("Content-Type"))
	body, err := io.ReadAll(w.Body)
	require.NoError(t, err)
	md, err := metadata.Parse(body, metadata.ParseOptions{Verifier: &dsig.Verifier{Certificates: []*x509Certificate{idpKP.Certificate}},
		Now: e.clock.Now})
	require.NoError(t, err)
	require.Equal(t, "https://idp.example/metadata", md.EntityID)
	require.True(t, md.IDP.WantAuthnRequestsSigned)
	for _, b := range []string{saml.BindingHTTPRedirect, saml.BindingHTTPPOST} {
		ep, err := md.IDP.SSOEndpoint(b)
		require.NoError(t, err)
		require.Equal(t, testSSO, ep.Location)
	}
	ep, err := md.IDP.SLOEndpoint(saml.BindingSOAP)
	require.NoError(t, err)
	require.Equal(t, testBase+PathSLOSOAP, ep.Location)
	_, err = metadata.Parse(body, metadata.ParseOptions{Verifier: &dsig.Verifier{Certificates: []*x509Certificate{spKP.Certificate}}})
	require.ErrorIs(t, err, metadata.ErrBadSignature)
}
