"""Developer tools that are not part of the product: the headless-browser driver, the page-1
preview, the generator of the tables in docs/."""
