package dlive

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/onair-go/onair/dlive/internal/gql"
)

// eventCodec decodes the events of one subscription field. Each event is
// decoded alone, so that one DLive sends in a form this package does not
// know becomes an unknown value rather than an error for its whole batch.
type eventCodec[E any] struct {
	field   string                                 // the subscription's root field
	decode  func(raw json.RawMessage) (E, error)   // one event
	unknown func(raw json.RawMessage, err error) E // what could not be decoded
}

// events decodes the payload of a data message: the events of the
// field (a list, or a single object: sources disagree for the treasure
// chest), and the GraphQL errors it carries. A payload that is not JSON
// becomes one unknown event.
func (c eventCodec[E]) events(payload json.RawMessage) ([]E, []GraphQLError) {
	var p struct {
		Data   map[string]json.RawMessage `json:"data"`
		Errors []GraphQLError             `json:"errors"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return []E{c.unknown(payload, err)}, nil
	}
	raw := bytes.TrimSpace(p.Data[c.field])
	var items []json.RawMessage
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '[':
		if err := json.Unmarshal(raw, &items); err != nil {
			return []E{c.unknown(raw, err)}, p.Errors
		}
	default:
		items = []json.RawMessage{raw}
	}
	out := make([]E, 0, len(items))
	for _, item := range items {
		e, err := c.decode(item)
		if err != nil {
			e = c.unknown(item, err)
		}
		out = append(out, e)
	}
	return out, p.Errors
}

// errNoKind is the decoding error of an event that is null, or whose
// kind the generated conversion does not know.
var errNoKind = errors.New("the event is null or of a kind this package does not know")

var chatCodec = eventCodec[ChatMessage]{
	field: "streamMessageReceived",
	decode: func(raw json.RawMessage) (ChatMessage, error) {
		// genqlient decodes an interface by its __typename inside the
		// response only: wrap the event in a one-item batch.
		var resp gql.SubscribeChatResponse
		if err := json.Unmarshal(wrap(`{"streamMessageReceived":[`, raw, `]}`), &resp); err != nil {
			return nil, err
		}
		if len(resp.StreamMessageReceived) == 1 {
			if m := gqlToChatMessage(resp.StreamMessageReceived[0]); m != nil {
				return m, nil
			}
		}
		return nil, errNoKind
	},
	unknown: func(raw json.RawMessage, err error) ChatMessage {
		p := probe(raw)
		return &UnknownChatMessage{Typename: p.Typename, Type: ChatType(p.Type), Raw: raw, Err: err}
	},
}

var treasureChestCodec = eventCodec[TreasureChestMessage]{
	field: "treasureChestMessageReceived",
	decode: func(raw json.RawMessage) (TreasureChestMessage, error) {
		var resp gql.SubscribeTreasureChestResponse
		if err := json.Unmarshal(wrap(`{"treasureChestMessageReceived":`, raw, `}`), &resp); err != nil {
			return nil, err
		}
		if m := gqlToTreasureChestMessage(resp.TreasureChestMessageReceived); m != nil {
			return m, nil
		}
		return nil, errNoKind
	},
	unknown: func(raw json.RawMessage, err error) TreasureChestMessage {
		p := probe(raw)
		return &UnknownTreasureChestMessage{Typename: p.Typename, Type: TreasureChestMessageType(p.Type), Raw: raw, Err: err}
	},
}

func wrap(before string, raw json.RawMessage, after string) []byte {
	b := make([]byte, 0, len(before)+len(raw)+len(after))
	return append(append(append(b, before...), raw...), after...)
}

// kindProbe is what an unknown event still says of itself.
type kindProbe struct {
	Typename string `json:"__typename"`
	Type     string `json:"type"`
}

// probe reads what it can of raw: a field of the wrong type stays empty.
func probe(raw json.RawMessage) kindProbe {
	var p kindProbe
	if json.Unmarshal(raw, &p) != nil {
		var loose map[string]json.RawMessage
		if json.Unmarshal(raw, &loose) == nil {
			json.Unmarshal(loose["__typename"], &p.Typename)
			json.Unmarshal(loose["type"], &p.Type)
		}
	}
	return p
}
