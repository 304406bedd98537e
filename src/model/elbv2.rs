//! Elastic Load Balancing v2: load balancers, attributes, listeners, target groups.
