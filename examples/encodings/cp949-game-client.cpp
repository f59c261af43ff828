// 게임 클라이언트 네트워크 모듈 (Visual Studio 2008 프로젝트, 소스는 CP949로 저장됨)
//
// 로그인 서버에 접속해서 로그인 패킷을 보내고 응답을 받는다.
// 문제점:
//   1) send()의 반환값을 확인하지 않는다 -- 일부만 보내질 수 있다.
//   2) recv() 한 번에 패킷 하나가 온다고 가정한다 -- TCP는 메시지 경계가 없다.
//
// Build: cl /EHsc /W4 cp949-game-client.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdio>
#include <cstring>

#pragma comment(lib, "ws2_32.lib")

#pragma pack(push, 1)
struct PacketHeader {
    unsigned short size;    // 헤더 포함 전체 크기
    unsigned short id;      // 패킷 번호
};
struct LoginRequest {
    PacketHeader header;
    char account[32];       // 계정
    char password[32];      // 비밀번호
};
struct LoginResult {
    PacketHeader header;
    int result;             // 0 = 성공
    int userNo;
};
#pragma pack(pop)

enum { PK_LOGIN_REQ = 101, PK_LOGIN_RES = 102 };

class CNetClient {
public:
    CNetClient() : m_sock(INVALID_SOCKET) {}
    ~CNetClient() { Close(); }

    bool Connect(const char* ip, unsigned short port)
    {
        m_sock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (m_sock == INVALID_SOCKET)
            return false;
        sockaddr_in addr = {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        inet_pton(AF_INET, ip, &addr.sin_addr);
        return connect(m_sock, (sockaddr*)&addr, sizeof(addr)) != SOCKET_ERROR;
    }

    bool Login(const char* account, const char* password)
    {
        LoginRequest req;
        memset(&req, 0, sizeof(req));
        req.header.size = sizeof(req);
        req.header.id = PK_LOGIN_REQ;
        strncpy_s(req.account, account, _TRUNCATE);
        strncpy_s(req.password, password, _TRUNCATE);

        /* 로그인 요청 전송 */ send(m_sock, (const char*)&req, sizeof(req), 0); // 반환값 무시

        char buf[512];
        int len = recv(m_sock, buf, sizeof(buf), 0); // 한 번에 다 온다고 가정
        if (len <= 0)
            return false;
        LoginResult* res = (LoginResult*)buf;     // 패킷 하나가 통째로 왔다고 믿는다
        if (res->header.id != PK_LOGIN_RES)
            return false;
        printf("로그인 결과: %d (유저 번호 %d)\n", res->result, res->userNo);
        return res->result == 0;
    }

    void Close()
    {
        if (m_sock != INVALID_SOCKET) {
            closesocket(m_sock);   // 소켓 닫기
            m_sock = INVALID_SOCKET;
        }
    }

private:
    SOCKET m_sock;
};

int main()
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    CNetClient client;
    if (client.Connect("127.0.0.1", 9000) && client.Login("tester01", "pass1234"))
        printf("접속 성공\n");
    WSACleanup();
    return 0;
}
