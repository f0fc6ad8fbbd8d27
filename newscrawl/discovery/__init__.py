"""Finding a site's articles without a profile: what its URLs and pages say about them."""
