"""The inspector's day: route, stops, route sheet, calendar feed, access log and the offline service worker."""
