package metadata_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/metadata"
)

// TestEndpointRuleMatchesBinding checks that metadata and saml/binding agree
// on which endpoint URLs are acceptable (N23: metadata is how endpoints
// reach the bindings): a Location that Parse accepts is one binding can send
// to, and one that binding refuses as a destination fails already when the
// metadata is read, not at the first login.
func TestEndpointRuleMatchesBinding(t *testing.T) {
	t.Parallel()
	tests := []struct {
		loc  string
		want bool
	}{
		{"https://idp.example/sso", true},
		{"http://localhost:8080/sso?x=1", true},
		{"HTTPS://HOST/x", true},
		{"https://idp.example:8443/a/b;c?d=e&f=g", true},
		{"javascript:alert(1)", false},
		{"data:text/html,x", false},
		{"/relative", false},
		{"//host/x", false},
		{"https://user@idp.example/sso", false},
		{"https://idp.example/sso#top", false},
		{"https://idp.example/sso#", false},
		{"https:opaque", false},
	}
	for _, tt := range tests {
		t.Run(tt.loc, func(t *testing.T) {
			attr := strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;").Replace(tt.loc)
			_, mdErr := metadata.Parse([]byte(strings.Replace(minimalIDP, "LOC", attr, 1)), unsignedOK())
			r := binding.Redirect{Destination: tt.loc, Param: binding.ParamRequest, XML: []byte("<a/>")}
			_, bErr := r.URL()
			if tt.want {
				require.NoError(t, mdErr, "metadata")
				require.NoError(t, bErr, "binding")
				return
			}
			require.ErrorIs(t, mdErr, metadata.ErrBadEndpoint)
			require.ErrorIs(t, bErr, binding.ErrBadDestination)
		})
	}
}
