#!/usr/bin/python3
"""Drives headless Chromium (Selenium, chromium-driver) through the stats page
the way an operator does: load it without credentials, then with them, tick a
server's box, choose an action in the form's list and press Apply.

Usage: stats_admin.py URL USER PASSWORD SERVER ACTION
Prints one line per step, "key=value", for the C++ test to check:
  anonymous_tables=0|1   the page without credentials showed proxy tables
  tables=N               <h2> proxy headings with credentials
  checkbox=0|1           the server's selection box was there
  after_url=URL          where the browser landed after Apply
  message=TEXT           the page's result message there
"""
import sys
import urllib.parse

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait


def main():
    url, user, password, server, action = sys.argv[1:6]
    opts = Options()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        opts.add_argument(a)
    opts.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(30)
    try:
        driver.get(url)
        print("anonymous_tables=%d" % len(driver.find_elements(By.TAG_NAME, "h2")))
        # Credentials in the URL: Chromium sends them as Basic authorization
        # for this top-level navigation (and the form posted from it).
        parts = urllib.parse.urlsplit(url)
        authed = parts._replace(netloc="%s:%s@%s" % (user, password, parts.netloc)).geturl()
        driver.get(authed)
        print("tables=%d" % len(driver.find_elements(By.TAG_NAME, "h2")))
        boxes = driver.find_elements(By.CSS_SELECTOR, 'input[name="s"][value="%s"]' % server)
        print("checkbox=%d" % (1 if boxes else 0))
        if not boxes:
            return
        box = boxes[0]
        box.click()
        form = box.find_element(By.XPATH, "./ancestor::form")
        Select(form.find_element(By.NAME, "action")).select_by_value(action)
        form.find_element(By.CSS_SELECTOR, 'input[type="submit"]').click()
        # The click returns before the POST's answer (a 303) is followed:
        # wait for the result page, 10 s at most.
        try:
            WebDriverWait(driver, 10).until(lambda d: ";st=" in d.current_url)
        except Exception:
            pass
        print("after_url=%s" % driver.current_url)
        msgs = driver.find_elements(By.CSS_SELECTOR, "p.msg")
        print("message=%s" % (msgs[0].text if msgs else ""))
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
