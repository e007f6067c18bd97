"""Order routing: rules as data, the rate broker, the planner and its explanations (pure, no storage)."""
