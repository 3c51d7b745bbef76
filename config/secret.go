package config

import (
	"fmt"
	"log/slog"
)

// redacted is what every printing or encoding path shows instead of a secret.
const redacted = "***"

// Secret holds a credential read from the environment (an API key, the bot
// token). Every way of printing or encoding it (fmt verbs, slog, JSON, YAML)
// shows "***", so a Config can be logged or dumped whole without leaking;
// Reveal returns the value for the one place that must send it.
type Secret string

// Reveal returns the secret value itself. Call it only where the value is
// sent to the service it belongs to.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret holds a value.
func (s Secret) IsSet() bool { return s != "" }

// String returns "***".
func (s Secret) String() string { return redacted }

// GoString returns "***", so %#v does not print the value either.
func (s Secret) GoString() string { return redacted }

// Format prints "***" for every verb. Without it a verb such as %d would make
// fmt print the raw string inside its "%!d(...)" error text.
func (s Secret) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON encodes the secret as the JSON string "***".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalYAML encodes the secret as "***".
func (s Secret) MarshalYAML() (any, error) { return redacted, nil }

// MarshalText returns "***", for encoders that use encoding.TextMarshaler
// (map keys, encoding/xml, flag printing).
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
