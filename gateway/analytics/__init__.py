"""Analytics for the business owner and the operator: metrics, roll-ups, dashboard, CSAT."""
