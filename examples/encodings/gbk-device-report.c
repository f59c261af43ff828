/*
 * 设备状态上报客户端（源文件以 GBK 编码保存）
 *
 * 每次上报分两次 send()：先发 8 字节包头，再发包体，然后等待服务器应答。
 * 问题：启用 Nagle 时，包体要等包头的 ACK；服务器收不全请求就不会回复，
 * 于是包头的 ACK 被延迟确认（Linux 40 ms，Windows 200 ms），每次上报都多等一个延迟 ACK。
 *
 * Build: cc -Wall -o report gbk-device-report.c
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct report_header {
    uint32_t device_id;   /* 设备编号 */
    uint32_t body_len;    /* 包体长度 */
};

struct device {
    int fd;               /* 与服务器的连接 */
    uint32_t id;
};

static int report_status(struct device *dev, const char *json)
{
    struct report_header hdr;
    size_t len = strlen(json);
    char ack[2];

    hdr.device_id = htonl(dev->id);
    hdr.body_len = htonl((uint32_t)len);
    if (send(dev->fd, &hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))   /* 先发包头 */
        return -1;
    /* 再发包体 */ if (send(dev->fd, json, len, 0) != (ssize_t)len) return -1; // 第二次发送
    if (recv(dev->fd, ack, sizeof(ack), MSG_WAITALL) != (ssize_t)sizeof(ack))   /* 等待应答 "OK" */
        return -1;
    return memcmp(ack, "OK", 2) == 0 ? 0 : -1;
}

int main(void)
{
    struct device dev = { -1, 42 };
    struct sockaddr_in addr;
    char json[256];
    int i;

    dev.fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(8600);
    inet_pton(AF_INET, "192.168.1.10", &addr.sin_addr);
    if (connect(dev.fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        perror("连接失败");
        return 1;
    }
    for (i = 0; i < 100; i++) {
        snprintf(json, sizeof(json), "{\"temp\":%d,\"seq\":%d}", 20 + i % 5, i);
        if (report_status(&dev, json) < 0) {
            fprintf(stderr, "上报失败\n");
            break;
        }
        sleep(1);
    }
    close(dev.fd);
    return 0;
}
