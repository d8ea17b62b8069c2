// Package sub uses package shop's types.
package sub

import "example.com/shop"

// Cart holds another package's items.
type Cart struct {
	Items []shop.Item
	Last  shop.Event
	List  shop.List[shop.ItemID]
}

// CreateOrderRequestCreateOrderRequestBody repeats a run of three words,
// as do its field and method.
type CreateOrderRequestCreateOrderRequestBody struct {
	APIKeyIDAPIKeyID string
	OrderStatus      OrderStatus
}

func (CreateOrderRequestCreateOrderRequestBody) SendOrderNowSendOrderNow() {}

// OrderStatus's constant repeats only a run of two words.
type OrderStatus string

const OrderStatusOrderStatusNew OrderStatus = "new"

// Notifier's method repeats a run of words, ignoring case.
type Notifier interface {
	NotifyStreamIDStreamIdStreamID()
}

// URLsByIDURLsByID repeats initialisms.
var URLsByIDURLsByID map[string][]string
