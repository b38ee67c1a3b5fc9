package saml

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

func TestSerializeEscapesWhatParsersNormalise(t *testing.T) {
	tests := []struct {
		name, text, attr string
	}{
		{"plain", "abc", "v"},
		{"carriage return in text", "a\r\nb", "v"},
		{"tab and newline in attribute", "x", "a\tb\nc\rd"},
		{"markup characters", "<&>\"'", "<&>\"'"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			el := etree.NewElement("saml:NameID")
			el.CreateAttr("xmlns:saml", NSAssertion)
			el.CreateAttr("Format", tc.attr)
			el.SetText(tc.text)

			out, err := Serialize(el)
			require.NoError(t, err)
			doc, err := ParseXML(out, Limits{})
			require.NoError(t, err)
			got, err := Text(doc.Root())
			require.NoError(t, err)
			require.Equal(t, tc.text, got, "text must survive a write and a parse unchanged")
			require.Equal(t, tc.attr, doc.Root().SelectAttrValue("Format", ""))
			require.Nil(t, el.Parent(), "Serialize must not re-parent the caller's element")
		})
	}
}

func TestSerializeNil(t *testing.T) {
	_, err := Serialize(nil)
	require.ErrorIs(t, err, ErrInvalidMessage)
}

func TestSerializeLeavesTreesAlone(t *testing.T) {
	parent := etree.NewElement("samlp:Response")
	parent.CreateAttr("xmlns:samlp", NSProtocol)
	child := parent.CreateElement("samlp:Status")
	child.CreateAttr("xmlns:samlp", NSProtocol)

	out, err := Serialize(child)
	require.NoError(t, err)
	require.Contains(t, string(out), "<samlp:Status")
	require.Same(t, parent, child.Parent(), "an attached element stays attached")

	lone := etree.NewElement("x")
	_, err = Serialize(lone)
	require.NoError(t, err)
	require.Nil(t, lone.Parent(), "a detached element stays detached")
}
