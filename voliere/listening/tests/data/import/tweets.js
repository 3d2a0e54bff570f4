window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1765012345678901001"
          ],
          "editableUntil": "2024-03-05T10:12:31.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "AcmeRocket",
            "indices": [
              "0",
              "1"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "67"
      ],
      "favorite_count": "3",
      "id_str": "1765012345678901001",
      "truncated": false,
      "retweet_count": "1",
      "id": "1765012345678901001",
      "favorited": false,
      "full_text": "La nouvelle Acme Rocket est géniale, livraison en 24h 🚀 #AcmeRocket",
      "lang": "fr",
      "created_at": "Tue Mar 05 09:12:31 +0000 2024"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1765012345678901002"
          ],
          "editableUntil": "2024-03-05T10:12:31.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "AcmeFail",
            "indices": [
              "0",
              "1"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "81"
      ],
      "favorite_count": "3",
      "id_str": "1765012345678901002",
      "truncated": false,
      "retweet_count": "1",
      "id": "1765012345678901002",
      "favorited": false,
      "full_text": "Ma Acme Rocket est tombée en panne au bout de 2 jours, remboursez-moi ! #AcmeFail",
      "lang": "fr",
      "created_at": "Tue Mar 05 10:40:02 +0000 2024"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1765012345678901003"
          ],
          "editableUntil": "2024-03-05T10:12:31.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "46"
      ],
      "favorite_count": "3",
      "id_str": "1765012345678901003",
      "truncated": false,
      "retweet_count": "1",
      "id": "1765012345678901003",
      "favorited": false,
      "full_text": "@AcmeSupport do you ship the Rocket to Canada?",
      "lang": "en",
      "created_at": "Wed Mar 06 14:03:55 +0000 2024",
      "in_reply_to_status_id_str": "1765000000000000001",
      "in_reply_to_status_id": "1765000000000000001",
      "in_reply_to_user_id_str": "1500",
      "in_reply_to_screen_name": "AcmeSupport"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1765012345678901004"
          ],
          "editableUntil": "2024-03-05T10:12:31.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "60"
      ],
      "favorite_count": "3",
      "id_str": "1765012345678901004",
      "truncated": false,
      "retweet_count": "1",
      "id": "1765012345678901004",
      "favorited": false,
      "full_text": "Comparatif Acme vs Globex : les deux se valent pour le prix.",
      "lang": "fr",
      "created_at": "Thu Mar 07 18:20:00 +0000 2024"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1765012345678901002"
          ],
          "editableUntil": "2024-03-05T10:12:31.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [
          {
            "text": "AcmeFail",
            "indices": [
              "0",
              "1"
            ]
          }
        ],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "81"
      ],
      "favorite_count": "3",
      "id_str": "1765012345678901002",
      "truncated": false,
      "retweet_count": "1",
      "id": "1765012345678901002",
      "favorited": false,
      "full_text": "Ma Acme Rocket est tombée en panne au bout de 2 jours, remboursez-moi ! #AcmeFail",
      "lang": "fr",
      "created_at": "Tue Mar 05 10:40:02 +0000 2024"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1765012345678901006"
          ],
          "editableUntil": "2024-03-05T10:12:31.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "44"
      ],
      "favorite_count": "3",
      "id_str": "1765012345678901006",
      "truncated": false,
      "retweet_count": "1",
      "id": "1765012345678901006",
      "favorited": false,
      "full_text": "Sans date, ce tweet ne peut pas être importé",
      "lang": "fr"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1765012345678901007"
          ],
          "editableUntil": "2024-03-05T10:12:31.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "14"
      ],
      "favorite_count": "3",
      "id_str": "1765012345678901007",
      "truncated": false,
      "retweet_count": "1",
      "id": "1765012345678901007",
      "favorited": false,
      "full_text": "Date illisible",
      "lang": "fr",
      "created_at": "le 8 mars vers midi"
    }
  }
]