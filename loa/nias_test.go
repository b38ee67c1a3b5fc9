package loa

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/require"
)

// niasXML wraps a condition the way the NIAS Ruby client sends it
// (spec-digest §4.3): saml as default namespace on Conditions, xsi on the root.
func niasXML(cond string) string {
	return `<AuthnRequest xmlns="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<Conditions xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><OneTimeUse/>` + cond + `</Conditions></AuthnRequest>`
}

func niasCondition(t *testing.T, cond string) (conditions, el *etree.Element) {
	t.Helper()
	conditions = parseXML(t, niasXML(cond)).ChildElements()[0]
	kids := conditions.ChildElements()
	return conditions, kids[len(kids)-1]
}

// spec-digest §4.3: the NIAS MinAuthenticationSecurityLevel condition.
func TestParseNIASCondition(t *testing.T) {
	const q1 = `xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension"`
	tests := []struct {
		name string
		cond string
		want int // 0 = error
		// isNIAS: IsNIASCondition holds (the type matches even if the
		// rest is malformed).
		isNIAS bool
	}{
		{"as sent by NIAS clients", `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`, 1, true},
		{"other prefixes", `<s:Condition xmlns:s="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:n="http://nias.eid.com.hr/2012/07/saml20Extension" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="n:NiasConditionType" MinAuthenticationSecurityLevel="3"/>`, 3, true},
		{"default namespace type", `<Condition xmlns="urn:oasis:names:tc:SAML:2.0:assertion" xsi:type="NiasConditionType" MinAuthenticationSecurityLevel="2"/>`, 0, false},
		{"two digits", `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="42"/>`, 42, true},
		{"padded", `<Condition ` + q1 + ` xsi:type=" q1:NiasConditionType " MinAuthenticationSecurityLevel=" 2 "/>`, 2, true},
		{"zero", `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="0"/>`, 0, true},
		{"too big", `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="100"/>`, 0, true},
		{"negative", `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="-1"/>`, 0, true},
		{"missing level", `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType"/>`, 0, true},
		{"repeated level", `<Condition ` + q1 + ` xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1" a:MinAuthenticationSecurityLevel="4"/>`, 0, true},
		{"missing type", `<Condition ` + q1 + ` MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"unqualified type", `<Condition ` + q1 + ` type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"type in wrong namespace", `<Condition ` + q1 + ` xmlns:x="urn:evil" x:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"prefix bound elsewhere", `<Condition xmlns:q1="urn:evil" xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"undeclared type prefix", `<Condition xsi:type="q9:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"wrong type name", `<Condition ` + q1 + ` xsi:type="q1:OtherType" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"malformed qname", `<Condition ` + q1 + ` xsi:type="q1:a:b" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"wrong element", `<Conditionx ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"wrong element namespace", `<Condition xmlns="urn:evil" ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`, 0, false},
		{"has children", `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"><x/></Condition>`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, el := niasCondition(t, tt.cond)
			require.Equal(t, tt.isNIAS, IsNIASCondition(el))
			got, err := ParseNIASCondition(el)
			if tt.want == 0 {
				require.ErrorIs(t, err, ErrInvalidExtension)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
		})
	}
	_, err := ParseNIASCondition(nil)
	require.ErrorIs(t, err, ErrInvalidExtension)
}

func TestNIASConditionRoundTrip(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 99} {
		el, err := NewNIASCondition(n)
		require.NoError(t, err)
		got, err := ParseNIASCondition(parseXML(t, serialize(t, el)))
		require.NoError(t, err)
		require.Equal(t, n, got)
	}
	el, err := NewNIASCondition(1)
	require.NoError(t, err)
	require.Equal(t, `<saml:Condition xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension" xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="1"/>`,
		serialize(t, el))
	for _, n := range []int{0, -1, 100} {
		_, err := NewNIASCondition(n)
		require.ErrorIs(t, err, ErrInvalidExtension)
	}
}

// Default assumption: NIAS value N is STORK QAA N; a Registry can remap.
func TestRegistryNIAS(t *testing.T) {
	const q1 = `xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension"`
	cond := func(n string) string {
		return `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="` + n + `"/>`
	}
	def := newRegistry(t, RegistryConfig{})
	for n := 1; n <= 4; n++ {
		_, el := niasCondition(t, cond(string(rune('0'+n))))
		l, err := def.ParseNIASCondition(el)
		require.NoError(t, err)
		require.Equal(t, STORK(n), l)
	}
	_, el := niasCondition(t, cond("5"))
	_, err := def.ParseNIASCondition(el)
	require.ErrorIs(t, err, ErrUnknownNIASLevel)
	_, el = niasCondition(t, cond("x"))
	_, err = def.ParseNIASCondition(el)
	require.ErrorIs(t, err, ErrInvalidExtension)

	tests := []struct {
		in   Level
		want int
	}{
		{STORK(1), 1}, {STORK(3), 3}, {Notified(Low), 2}, {Notified(Substantial), 3},
		{NotNotified(High), 4}, {Notified(High), 4}, {NotNotified(Low), 2},
	}
	for _, tt := range tests {
		n, err := def.NIASValue(tt.in)
		require.NoError(t, err, tt.in.String())
		require.Equal(t, tt.want, n, tt.in.String())
	}
	_, err = def.NIASValue(Level{})
	require.ErrorIs(t, err, ErrInvalidLevel)

	cfg := niasConfig()
	cfg.NIAS = []NIASLevel{{Value: 10, ClassRef: "urn:hr:nias:loa:2"}, {Value: 20, ClassRef: EIDASSubstantial}}
	custom := newRegistry(t, cfg)
	_, el = niasCondition(t, cond("20"))
	l, err := custom.ParseNIASCondition(el)
	require.NoError(t, err)
	require.Equal(t, Notified(Substantial), l)
	_, err = custom.NIASValue(Notified(High))
	require.ErrorIs(t, err, ErrUnknownNIASLevel)
	out, err := custom.NIASCondition(STORK(2))
	require.NoError(t, err)
	require.Equal(t, "10", out.SelectAttrValue(NIASMinLevelAttr, ""))
	_, err = custom.NIASCondition(Notified(High))
	require.ErrorIs(t, err, ErrUnknownNIASLevel)
}

func TestFindNIASCondition(t *testing.T) {
	const q1 = `xmlns:q1="http://nias.eid.com.hr/2012/07/saml20Extension"`
	const c3 = `<Condition ` + q1 + ` xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="3"/>`
	r := newRegistry(t, RegistryConfig{})

	conds, _ := niasCondition(t, `<Condition xmlns:o="urn:other" xsi:type="o:Other"/>`+c3)
	l, ok, err := r.FindNIASCondition(conds)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, STORK(3), l)

	conds, _ = niasCondition(t, `<AudienceRestriction/>`)
	_, ok, err = r.FindNIASCondition(conds)
	require.NoError(t, err)
	require.False(t, ok)

	// A condition with the level attribute but a broken type fails, not skipped.
	conds, _ = niasCondition(t, `<Condition xmlns:q1="urn:evil" xsi:type="q1:NiasConditionType" MinAuthenticationSecurityLevel="4"/>`)
	_, ok, err = r.FindNIASCondition(conds)
	require.ErrorIs(t, err, ErrInvalidExtension)
	require.False(t, ok)

	conds, _ = niasCondition(t, c3+c3)
	_, ok, err = r.FindNIASCondition(conds)
	require.ErrorIs(t, err, ErrInvalidExtension)
	require.False(t, ok)

	_, ok, err = r.FindNIASCondition(nil)
	require.NoError(t, err)
	require.False(t, ok)
}
