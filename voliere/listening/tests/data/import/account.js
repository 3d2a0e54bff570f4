window.YTD.account.part0 = [
  {
    "account": {
      "email": "camille@example.org",
      "createdVia": "web",
      "username": "camille_m",
      "accountId": "1400000001",
      "createdAt": "2012-04-01T10:00:00.000Z",
      "accountDisplayName": "Camille Martin"
    }
  }
]